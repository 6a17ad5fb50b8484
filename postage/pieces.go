package postage

import (
	"fmt"
	"hash/maphash"
	"strings"

	"github.com/omsd/omsd/meta"
)

// planner holds the working state of one Make call.
type planner struct {
	cfg    *Config
	prof   *RateProfile
	pieces []Piece
	items  []item // per piece, same index
	types  []envType
	sheetW Weight
	margin Weight

	envs      []envelope // in creation order; in print order after order()
	members   []int32    // piece indexes, envelopes' pieces back to back
	seqs      []int      // the pieces' sequence numbers, parallel to members
	exc       []Exception
	held      []int
	conts     []Container
	outNames  []string // outputs by index: the default, then the rules' outputs
	notes     []string
	inserts   map[uint64][]string // insert sets by bit mask, shared
	household householdStats
	take      []int32 // scratch for presort
	placed    []int32 // presorted envelopes, container by container

	hhFields []string     // household key fields
	hashes   []keyed      // household key hashes by piece
	seed     maphash.Seed // of the hashes
	keys     arena        // household keys
	keyAt    []span       // piece i's key in keys
	keyBuf   []byte
	scratch  []keyed // for radix sorts
	candKeys []keyed // for sorting presort candidates
	candBuf  []cand

	beforeCost Cost
}

// item is the planner's view of one piece.
type item struct {
	sheets int32 // as the plan prints it
	exc    uint8 // index into excCodes; 0 for none
	held   bool
	postal string // normalised postal code, "" if none
}

// excCodes are the exception codes by item.exc.
var excCodes = [...]string{"", ExcNoPostalCode, ExcBadPostalCode, ExcCountry, ExcNoEnvelope, ExcNoProduct}

const (
	excNone uint8 = iota
	excNoPostal
	excBadPostal
	excCountry
	excNoEnvelope
	excNoProduct
)

func newPlanner(pieces []Piece, cfg *Config) *planner {
	pl := &planner{
		cfg:     cfg,
		prof:    cfg.Profile,
		pieces:  pieces,
		items:   make([]item, len(pieces)),
		sheetW:  cfg.Paper.SheetWeight(),
		margin:  Grams(cfg.SafetyMarginG),
		inserts: map[uint64][]string{},
	}
	pl.types = prepareTypes(cfg)
	if cfg.Household.Enabled {
		pl.hhFields = cfg.householdKey()
		pl.hashes = make([]keyed, 0, len(pieces))
		pl.keyAt = make([]span, len(pieces))
		pl.seed = maphash.MakeSeed()
	}
	for i, p := range pieces {
		s := p.Sheets
		if p.Pages > 0 {
			s = sheetsFor(p.Pages, cfg.Duplex)
		}
		pl.items[i].sheets = int32(min(s, 1<<30))
	}
	return pl
}

// sheetsFor is the number of sheets pages take, simplex or duplex.
func sheetsFor(pages int, duplex bool) int {
	if duplex {
		return (pages + 1) / 2
	}
	return pages
}

// checkData checks each piece's postal code and country and records the
// exceptions; with householding on, it hashes the household keys too.
func (pl *planner) checkData() {
	hh := pl.cfg.Household.Enabled
	for i, p := range pl.pieces {
		if pl.checkPiece(i, p.Meta) && hh {
			pl.hashKey(i, p.Meta)
		}
	}
}

// checkPiece checks one piece and reports whether its data is good.
func (pl *planner) checkPiece(i int, m meta.Fields) bool {
	f := pl.cfg.Fields
	if f.Country != "" && !pl.prof.servesCountry(m.Get(f.Country)) {
		pl.except(i, excCountry, fmt.Sprintf("country %q is not served by rate profile %s", clip(m.Get(f.Country)), pl.prof.Name))
		return false
	}
	if f.PostalCode == "" {
		return true
	}
	raw := m.Get(f.PostalCode)
	code, ok := pl.prof.PostalCode.normalise(raw)
	switch {
	case strings.TrimSpace(raw) == "":
		pl.except(i, excNoPostal, fmt.Sprintf("no postal code in field %q", f.PostalCode))
	case !ok:
		pl.except(i, excBadPostal, fmt.Sprintf("postal code %q is not valid for %s", clip(raw), pl.prof.Name))
	default:
		pl.items[i].postal = code
		return true
	}
	return false
}

// except records a data exception for piece i and applies the fallback.
func (pl *planner) except(i int, code uint8, reason string) {
	it := &pl.items[i]
	it.exc = code
	action := pl.cfg.Fallback
	it.held = action == FallbackHold
	if it.held {
		pl.held = append(pl.held, pl.pieces[i].Seq)
	}
	pl.exc = append(pl.exc, Exception{Seq: pl.pieces[i].Seq, Code: excCodes[code], Reason: reason, Action: action})
}

// clip shortens s for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// normalise removes spaces and hyphens from s, upper-cases it, and
// reports whether the result is a well-formed postal code.
func (r *PostalRule) normalise(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if needsCleaning(s) {
		s = strings.Map(func(c rune) rune {
			switch {
			case c == ' ' || c == '-':
				return -1
			case c >= 'a' && c <= 'z':
				return c - 'a' + 'A'
			}
			return c
		}, s)
	}
	if s == "" {
		return "", false
	}
	if r.re != nil {
		return s, r.re.MatchString(s)
	}
	if nonDigits(s) {
		return s, false
	}
	for _, n := range r.Digits {
		if len(s) == n {
			return s, true
		}
	}
	return s, false
}

// needsCleaning reports whether s holds a space, a hyphen or a lower-case
// letter.
func needsCleaning(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c == '-' || c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// postalKey is a number that orders postal codes. An all-digit code of
// up to 11 digits is read as a number padded to 11 digits; any other code
// is packed in base 37 (12 characters) with the top bit set.
func postalKey(s string) uint64 {
	if !nonDigits(s) && len(s) <= digitKeyLen {
		var v uint64
		for i := range digitKeyLen {
			v *= 10
			if i < len(s) {
				v += uint64(s[i] - '0')
			}
		}
		return v
	}
	var v uint64
	for i := range alnumKeyLen {
		v *= 37
		if i < len(s) {
			v += base37(s[i])
		}
	}
	return v | alnumKey
}

// Postal key layout.
const (
	digitKeyLen = 11
	alnumKeyLen = 12
	alnumKey    = 1 << 63
)

// prefixKey is the key of the first n characters of the code with key k
// (n at most 11).
func prefixKey(k uint64, n int) uint64 {
	if k&alnumKey == 0 {
		return k / pow(10, digitKeyLen-n)
	}
	return alnumKey | (k&^alnumKey)/pow(37, alnumKeyLen-n)
}

// pow is b to the power e.
func pow(b uint64, e int) uint64 {
	v := uint64(1)
	for range e {
		v *= b
	}
	return v
}

// base37 maps 0-9 to 1-10, A-Z to 11-36, anything else to 0.
func base37(c byte) uint64 {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c-'0') + 1
	case c >= 'A' && c <= 'Z':
		return uint64(c-'A') + 11
	}
	return 0
}
