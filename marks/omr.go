package marks

import (
	"fmt"
	"strconv"
	"strings"
)

// kind is the kind of an OMR position.
type kind uint8

const (
	kBM kind = iota + 1
	kSAF
	kRT
	kTM
	kIGN
	kBOC
	kEOC
	kNBOC
	kNEOC
	kPAR
	kSF
	kDVF
	kAB
	kWAS
	kMC
)

// kindNames are the kinds' names as profiles write them.
var kindNames = map[string]kind{
	"BM": kBM, "SAF": kSAF, "RT": kRT, "TM": kTM, "IGN": kIGN, "BOC": kBOC, "EOC": kEOC,
	"NBOC": kNBOC, "NEOC": kNEOC, "PAR": kPAR, "DVF": kDVF, "AB": kAB, "WAS": kWAS, "MC": kMC,
}

// Limits of an OMR code.
const (
	maxPositions = 32
	maxWAS       = 8
	maxMC        = 18
	maxStations  = 16
)

// position is one prepared OMR position: its kind and, for SFn, the
// station, for WAS and MC, the bit it carries.
type position struct {
	kind kind
	n    int
}

// parsePosition reads a position's name: a kind, or SF with a station.
func parsePosition(s string) (position, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if k, ok := kindNames[u]; ok {
		return position{kind: k}, nil
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(u, "SF")); strings.HasPrefix(u, "SF") && err == nil && n >= 1 && n <= maxStations {
		return position{kind: kSF, n: n}, nil
	}
	return position{}, fmt.Errorf("position %q: want BM, SAF, RT, TM, IGN, BOC, EOC, NBOC, NEOC, PAR, SF1-SF%d, DVF, AB, WAS or MC", s, maxStations)
}

// prepare checks the OMR section and numbers its positions.
func (o *OMR) prepare(stations int) error {
	if len(o.Positions) == 0 || len(o.Positions) > maxPositions {
		return fmt.Errorf("omr: positions: want 1 to %d, got %d", maxPositions, len(o.Positions))
	}
	o.kinds = make([]position, len(o.Positions))
	count := map[kind]int{}
	for i, s := range o.Positions {
		p, err := parsePosition(s)
		if err != nil {
			return fmt.Errorf("omr: %w", err)
		}
		if p.kind == kSF && p.n > stations {
			return fmt.Errorf("omr: position %s: the profile has %d stations", s, stations)
		}
		o.kinds[i] = p
		count[p.kind]++
	}
	switch {
	case count[kPAR] > 1:
		return fmt.Errorf("omr: at most one PAR position")
	case count[kWAS] > maxWAS:
		return fmt.Errorf("omr: at most %d WAS positions", maxWAS)
	case count[kMC] > maxMC:
		return fmt.Errorf("omr: at most %d MC positions", maxMC)
	case count[kAB] > 0 && o.Batch < 1:
		return fmt.Errorf("omr: an AB position needs batch")
	case o.Batch < 0:
		return fmt.Errorf("omr: batch must not be negative")
	}
	o.numberBits(kWAS, count[kWAS], o.Sequence.First)
	o.numberBits(kMC, count[kMC], o.Match.First)
	if err := o.checkOptions(); err != nil {
		return err
	}
	return o.checkGeometry()
}

// numberBits gives the positions of kind k their bit: the first in read
// order the least significant (lsb) or the most.
func (o *OMR) numberBits(k kind, n int, first string) {
	j := 0
	for i := range o.kinds {
		if o.kinds[i].kind != k {
			continue
		}
		o.kinds[i].n = j
		if first == "msb" {
			o.kinds[i].n = n - 1 - j
		}
		j++
	}
}

// checkOptions checks the sequence, match, parity and commands settings.
func (o *OMR) checkOptions() error {
	s, m := &o.Sequence, &o.Match
	for _, c := range []struct{ key, val, allowed string }{
		{"sequence.count", s.Count, "up down"}, {"sequence.reset", s.Reset, "envelope continuous"},
		{"sequence.first", s.First, "lsb msb"}, {"match.count", m.Count, "up down"},
		{"match.first", m.First, "lsb msb"}, {"parity.make", o.Parity.Make, "even odd"},
		{"commands", o.Commands, "every first last"},
	} {
		if c.val != "" && !strings.Contains(" "+c.allowed+" ", " "+c.val+" ") {
			return fmt.Errorf("omr: %s %q: want one of %s", c.key, c.val, c.allowed)
		}
	}
	if !s.Zero && o.bits(kWAS) == 1 {
		return fmt.Errorf("omr: one WAS bit without zero never changes: add zero or bits")
	}
	o.counted = make([]bool, len(o.kinds))
	for i := range o.counted {
		o.counted[i] = true
	}
	for _, name := range o.Parity.Exclude {
		q, err := parsePosition(name)
		if err != nil {
			return fmt.Errorf("omr: parity.exclude: %w", err)
		}
		if q.kind == kPAR {
			return fmt.Errorf("omr: parity.exclude: the parity mark always counts")
		}
		for i, p := range o.kinds {
			if p.kind == q.kind && (q.kind != kSF || q.n == p.n) {
				o.counted[i] = false
			}
		}
	}
	return nil
}

// checkGeometry checks the sizes of the marks.
func (o *OMR) checkGeometry() error {
	switch {
	case o.Length <= 0 || o.Thickness <= 0:
		return fmt.Errorf("omr: length and thickness are required")
	case len(o.kinds) > 1 && o.Pitch <= o.Thickness:
		return fmt.Errorf("omr: pitch %v must exceed the thickness %v", o.Pitch, o.Thickness)
	}
	if _, err := parseCorner(o.Corner); err != nil {
		return fmt.Errorf("omr: %w", err)
	}
	return nil
}

// bits is the number of positions of kind k.
func (o *OMR) bits(k kind) int {
	n := 0
	for _, p := range o.kinds {
		if p.kind == k {
			n++
		}
	}
	return n
}

// sheetState is what an OMR code says about one sheet.
type sheetState struct {
	first, last bool   // first or last sheet of its envelope
	commands    bool   // the sheet carries the envelope's commands
	fed         []bool // by station - 1
	divert      bool
	batchEnd    bool
	sequence    int
	match       int
}

// code is the OMR code of one sheet: whether each position is marked.
func (o *OMR) code(st *sheetState) []bool {
	on := make([]bool, len(o.kinds))
	par := -1
	for i, p := range o.kinds {
		switch p.kind {
		case kBM, kSAF, kRT, kTM:
			on[i] = true
		case kBOC:
			on[i] = st.first
		case kEOC:
			on[i] = st.last
		case kNBOC:
			on[i] = !st.first
		case kNEOC:
			on[i] = !st.last
		case kSF:
			on[i] = st.commands && p.n <= len(st.fed) && st.fed[p.n-1]
		case kDVF:
			on[i] = st.commands && st.divert
		case kAB:
			on[i] = st.commands && st.batchEnd
		case kWAS:
			on[i] = st.sequence>>p.n&1 == 1
		case kMC:
			on[i] = st.match>>p.n&1 == 1
		case kPAR:
			par = i
		}
	}
	if par >= 0 {
		n := 0
		for i := range o.kinds {
			if on[i] && o.counted[i] {
				n++
			}
		}
		on[par] = (n%2 == 1) == (o.Parity.Make != "odd")
	}
	return on
}
