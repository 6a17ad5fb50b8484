package markread

import (
	"strconv"
	"strings"

	"github.com/omsd/omsd/marks"
)

// Code is an OMR code as the line understands it, from its marks and the
// profile's position names alone.
type Code struct {
	// Marks holds, per position in read order, whether it is marked.
	Marks []bool
	// Benchmark is true when every always-printed position (BM, SAF, RT,
	// TM) is marked: the reader found a code at all.
	Benchmark bool
	// BOC and EOC: the sheet begins or ends its envelope, from BOC/NBOC and
	// EOC/NEOC positions. Without such positions HasBOC or HasEOC is false.
	BOC, EOC       bool
	HasBOC, HasEOC bool
	// Sequence and Match are the values of the WAS and MC bits.
	Sequence, Match int
	// Feeders holds, per select-feed station (index station-1), whether
	// the sheet's envelope takes its insert.
	Feeders []bool
	Divert  bool
	Batch   bool
	// ParityOK reports that the parity mark, if any, makes the count of
	// the positions it counts even or odd as the profile says.
	ParityOK bool
}

// FeederDigits writes Feeders as one digit per station, "1" for a feed.
func (c Code) FeederDigits() string {
	b := make([]byte, len(c.Feeders))
	for i, on := range c.Feeders {
		b[i] = '0' + byte(btoi(on))
	}
	return string(b)
}

// Decode interprets the marks of an OMR code read from a sheet with the
// profile's layout.
func Decode(p *marks.Profile, code []bool) Code {
	o := p.OMR
	c := Code{Marks: code, Benchmark: true, Feeders: make([]bool, p.Stations)}
	was, mc := bitOrder(o.Positions, "WAS", o.Sequence.First), bitOrder(o.Positions, "MC", o.Match.First)
	excluded := map[string]bool{}
	for _, x := range o.Parity.Exclude {
		excluded[strings.ToUpper(x)] = true
	}
	counted, hasPar := 0, false
	for i, name := range o.Positions {
		name = strings.ToUpper(strings.TrimSpace(name))
		on := i < len(code) && code[i]
		c.position(name, on, was[i], mc[i])
		hasPar = hasPar || name == "PAR"
		if on && !excluded[name] {
			counted++
		}
	}
	c.ParityOK = !hasPar || (counted%2 == 0) == (o.Parity.Make != "odd")
	return c
}

// position records one position's mark.
func (c *Code) position(name string, on bool, wasBit, mcBit int) {
	switch name {
	case "BM", "SAF", "RT", "TM":
		c.Benchmark = c.Benchmark && on
	case "BOC", "NBOC":
		c.HasBOC, c.BOC = true, on == (name == "BOC")
	case "EOC", "NEOC":
		c.HasEOC, c.EOC = true, on == (name == "EOC")
	case "WAS":
		c.Sequence |= btoi(on) << wasBit
	case "MC":
		c.Match |= btoi(on) << mcBit
	case "DVF":
		c.Divert = on
	case "AB":
		c.Batch = on
	}
	if st, err := strconv.Atoi(strings.TrimPrefix(name, "SF")); strings.HasPrefix(name, "SF") && err == nil &&
		st >= 1 && st <= len(c.Feeders) {
		c.Feeders[st-1] = on
	}
}

// bitOrder gives every position named kind its bit: the first in read
// order the least significant (lsb, the default) or the most (msb).
func bitOrder(positions []string, kind, first string) []int {
	bits := make([]int, len(positions))
	n := 0
	for _, name := range positions {
		if strings.EqualFold(strings.TrimSpace(name), kind) {
			n++
		}
	}
	j := 0
	for i, name := range positions {
		if !strings.EqualFold(strings.TrimSpace(name), kind) {
			continue
		}
		bits[i] = j
		if first == "msb" {
			bits[i] = n - 1 - j
		}
		j++
	}
	return bits
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
