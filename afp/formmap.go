package afp

import (
	"fmt"
	"io"
)

// Duplex is how a medium map prints a sheet.
type Duplex int

// Duplex modes, from the MMC keyword F4.
const (
	Simplex      Duplex = iota // F401: one side
	DuplexNormal               // F402: both sides, turned on the long edge
	DuplexTumble               // F403: both sides, turned on the short edge
)

func (d Duplex) String() string {
	switch d {
	case DuplexNormal:
		return "duplex"
	case DuplexTumble:
		return "tumble"
	}
	return "simplex"
}

// MediumMap is one medium map (BMM…EMM) of a form map, reduced to what
// decides sheet counts. Its settings come from the MMC that the first copy
// subgroup of its MCC selects, or from its first MMC.
type MediumMap struct {
	Name   string `json:"name"`
	Duplex Duplex `json:"duplex"`
	NUp    int    `json:"n_up"`   // pages per side: 1–4 (MMC keyword FC0n)
	Copies int    `json:"copies"` // copies of each sheet from the MCC; 1 without one
	Bin    int    `json:"bin"`    // input bin (MMC keyword E1); 0 when not given
	token  [8]byte
}

// PagesPerSheet is how many pages fill one sheet: sides × n-up.
func (m MediumMap) PagesPerSheet() int {
	n := max(m.NUp, 1)
	if m.Duplex != Simplex {
		n *= 2
	}
	return n
}

// FormMap is a form definition (BFM…EFM): its medium maps in order. The
// first is the default, in effect until an IMM invokes another.
type FormMap struct {
	Name   string      `json:"name"`
	Maps   []MediumMap `json:"maps"`
	byName map[string]int
}

// Map returns the medium map of that name, or nil.
func (fm *FormMap) Map(name string) *MediumMap {
	if fm.byName == nil { // built by hand, not parsed
		for i := range fm.Maps {
			if fm.Maps[i].Name == name {
				return &fm.Maps[i]
			}
		}
		return nil
	}
	if i, ok := fm.byName[name]; ok {
		return &fm.Maps[i]
	}
	return nil
}

// Default returns the first medium map, or nil if there is none.
func (fm *FormMap) Default() *MediumMap {
	if len(fm.Maps) == 0 {
		return nil
	}
	return &fm.Maps[0]
}

// ParseFormMap reads a form definition, such as a separately stored
// F1xxxxxx file: the first BFM…EFM in r, bare or inside a resource group.
func ParseFormMap(r io.Reader) (*FormMap, error) {
	s := newScanner(r, 0)
	var b formMapBuilder
	var f rawField
	for b.done == nil {
		err := s.next(&f)
		if err == io.EOF {
			return nil, formatErr(ErrStructure, s.off, s.lastName(), "no complete form map (BFM…EFM) in the input")
		}
		if err != nil {
			return nil, err
		}
		if err := b.field(f.id, f.data, f.off); err != nil {
			return nil, err
		}
	}
	return b.done, nil
}

const (
	maxMediumMaps = 4096
	mccGroupLen   = 6 // start copy (2), stop copy (2), reserved, MMC id
)

// mmcSettings is what one MMC says.
type mmcSettings struct {
	duplex Duplex
	nup    int
	bin    int
}

// formMapBuilder collects a form map from its fields, in whatever context
// they come.
type formMapBuilder struct {
	resource string   // name of the BRS the fields are in
	fm       *FormMap // the form map being read; nil outside BFM…EFM
	done     *FormMap // the first complete form map
	inMap    bool
	cur      MediumMap
	mmcs     map[byte]mmcSettings
	first    int // the MMC id the MCC's first subgroup selects; -1: none, the first MMC seen
	firstM   int // the first MMC id seen; -1: none
}

// field takes one field into the form map being read.
func (b *formMapBuilder) field(id uint32, data []byte, off int64) error {
	switch {
	case id == IDBRS:
		b.resource = tokenName(data)
	case id == IDERS:
		b.resource = ""
	case id == IDBFM:
		if b.fm != nil {
			return formatErr(ErrStructure, off, "BFM", "form map inside a form map")
		}
		b.fm = &FormMap{Name: tokenName(data), byName: map[string]int{}}
		if b.fm.Name == "" { // unnamed: the resource holding it names it
			b.fm.Name = b.resource
		}
	case b.fm == nil:
	case id == IDBMM:
		b.beginMap(data)
	case id == IDMCC && b.inMap:
		b.mcc(data)
	case id == IDMMC && b.inMap:
		return b.mmc(data, off)
	case id == IDEMM && b.inMap:
		return b.endMap(off)
	case id == IDEFM:
		if b.done == nil {
			b.done = b.fm
		}
		b.fm = nil
	}
	return nil
}

func (b *formMapBuilder) beginMap(data []byte) {
	b.inMap, b.first, b.firstM = true, -1, -1
	b.cur = MediumMap{Name: tokenName(data), NUp: 1, Copies: 1}
	copy(b.cur.token[:], data)
	if len(data) < 8 {
		copy(b.cur.token[len(data):], "\x40\x40\x40\x40\x40\x40\x40\x40")
	}
	b.mmcs = map[byte]mmcSettings{}
}

// mcc reads the copy subgroups: the first selects the front-side MMC; in
// duplex each pair of subgroups makes one set of copies.
func (b *formMapBuilder) mcc(data []byte) {
	copies := 0
	for i := 0; i+mccGroupLen <= len(data); i += mccGroupLen {
		start, stop := int(be16(data[i:])), int(be16(data[i+2:]))
		copies += max(stop-start+1, 1)
		if b.first < 0 {
			b.first = int(data[i+5])
		}
	}
	b.cur.Copies = max(copies, 1)
}

func (b *formMapBuilder) mmc(data []byte, off int64) error {
	if len(data) < 2 {
		return formatErr(ErrField, off, "MMC", "%d bytes, shorter than the 2-byte header", len(data))
	}
	s := mmcSettings{nup: 1}
	for i := 2; i+1 < len(data); i += 2 {
		switch k, v := data[i], data[i+1]; k {
		case 0xF4:
			s.duplex = duplexKeyword(v)
		case 0xFC:
			if v >= 1 && v <= 4 {
				s.nup = int(v)
			}
		case 0xE1:
			s.bin = int(v)
		}
	}
	if _, seen := b.mmcs[data[0]]; !seen {
		b.mmcs[data[0]] = s
	}
	if b.firstM < 0 {
		b.firstM = int(data[0])
	}
	return nil
}

// duplexKeyword maps the value of MMC keyword F4 to a Duplex mode; values
// other than 02 and 03 print simplex.
func duplexKeyword(v byte) Duplex {
	switch v {
	case 0x02:
		return DuplexNormal
	case 0x03:
		return DuplexTumble
	}
	return Simplex
}

func (b *formMapBuilder) endMap(off int64) error {
	b.inMap = false
	id := b.first
	if _, ok := b.mmcs[byte(id)]; id < 0 || !ok {
		id = b.firstM
	}
	if s, ok := b.mmcs[byte(id)]; ok && id >= 0 {
		b.cur.Duplex, b.cur.NUp, b.cur.Bin = s.duplex, s.nup, s.bin
	}
	if b.cur.Duplex != Simplex {
		b.cur.Copies = max(b.cur.Copies/2, 1)
	}
	if len(b.fm.Maps) >= maxMediumMaps {
		return formatErr(ErrStructure, off, "EMM", "more than %d medium maps in form map %s", maxMediumMaps, b.fm.Name)
	}
	if _, dup := b.fm.byName[b.cur.Name]; !dup {
		b.fm.byName[b.cur.Name] = len(b.fm.Maps)
	}
	b.fm.Maps = append(b.fm.Maps, b.cur)
	return nil
}

// String describes a medium map: "DUPNOR duplex 1-up".
func (m MediumMap) String() string {
	return fmt.Sprintf("%s %s %d-up", m.Name, m.Duplex, max(m.NUp, 1))
}

// MarshalText writes the mode as String does, for JSON.
func (d Duplex) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "simplex", "duplex" or "tumble".
func (d *Duplex) UnmarshalText(b []byte) error {
	for _, m := range []Duplex{Simplex, DuplexNormal, DuplexTumble} {
		if string(b) == m.String() {
			*d = m
			return nil
		}
	}
	return fmt.Errorf("afp: duplex mode %q: want simplex, duplex or tumble", b)
}
