package afpmarks

import (
	"encoding/binary"
	"math"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/marks"
)

// Structured field identifiers the package writes.
const (
	idBPT = 0xD3A89B // Begin Presentation Text Object
	idEPT = 0xD3A99B
	idPTX = 0xD3EE9B // Presentation Text Data
	idPTD = 0xD3B19B // Presentation Text Data Descriptor (format 2)
	idBOG = 0xD3A8C7 // Begin Object Environment Group
	idEOG = 0xD3A9C7
	idOBD = 0xD3A66B // Object Area Descriptor
	idOBP = 0xD3AC6B // Object Area Position
	idBBC = 0xD3A8EB // Begin Bar Code Object
	idEBC = 0xD3A9EB
	idMBC = 0xD3ABEB // Map Bar Code Object
	idBDD = 0xD3A6EB // Bar Code Data Descriptor
	idBDA = 0xD3EEEB // Bar Code Data
)

// unitsPerInch are the units of the objects the package writes; the
// measurement unit fields give them per 10 inches.
const (
	unitsPerInch = 1440
	unitsPer10in = 10 * unitsPerInch
)

// units converts points to object units, rounded.
func units(pt float64) int { return int(math.Round(pt * unitsPerInch / 72)) }

func be16(b []byte, v int) []byte { return binary.BigEndian.AppendUint16(b, uint16(v)) }

func be24(b []byte, v int) []byte { return append(b, byte(v>>16), byte(v>>8), byte(v)) }

// objectArea returns the OBD and OBP of an object that covers the sheet,
// at the page's origin, in the package's units.
func objectArea(page marks.Rect) []*afp.Field {
	obd := []byte{3, 0x43, 1, 8, 0x4B, 0, 0} // descriptor position 1; measurement units
	obd = be16(be16(obd, unitsPer10in), unitsPer10in)
	obd = append(obd, 9, 0x4C, 2) // object area size
	obd = be24(be24(obd, units(page.W)), units(page.H))
	obp := []byte{1, 23}
	obp = be24(be24(obp, 0), 0)         // object area origin
	obp = append(obp, 0, 0, 0x2D, 0, 0) // x axis 0°, y axis 90°
	obp = be24(be24(obp, 0), 0)         // content origin
	obp = append(obp, 0, 0, 0x2D, 0, 1) // content axes; relative to the page
	return []*afp.Field{{ID: idOBD, Data: obd}, {ID: idOBP, Data: obp}}
}

// textObject is a presentation text object drawing rules over the sheet.
func textObject(page marks.Rect, rules []marks.Rect) []*afp.Field {
	ptd := []byte{0, 0}
	ptd = be16(be16(ptd, unitsPer10in), unitsPer10in)
	ptd = be24(be24(ptd, units(page.W)), units(page.H))
	ptd = append(ptd, 0, 0)
	out := []*afp.Field{{ID: idBPT}, {ID: idBOG}}
	out = append(out, objectArea(page)...)
	out = append(out, &afp.Field{ID: idPTD, Data: ptd}, &afp.Field{ID: idEOG},
		&afp.Field{ID: idPTX, Data: ruleText(page, rules)}, &afp.Field{ID: idEPT})
	return out
}

// PTOCA control sequence types, chained (odd) forms.
const (
	csSTO = 0xF7 // set text orientation
	csAMB = 0xD3 // absolute move baseline
	csAMI = 0xC7 // absolute move inline
	csDIR = 0xE5 // draw I-axis rule
	csDBR = 0xE7 // draw B-axis rule
	csNOP = 0xF8 // no operation, unchained: ends the chain
)

// ruleText is the PTX data drawing each rectangle as a rule: a move to
// its top left corner, then a rule along its longer side, as wide as its
// shorter side (rules grow right and down from the current position).
func ruleText(page marks.Rect, rules []marks.Rect) []byte {
	b := []byte{0x2B, 0xD3, 6, csSTO, 0, 0, 0x2D, 0} // inline 0°, baseline 90°
	for _, r := range rules {
		x, y := units(r.X), units(page.H-r.Y-r.H)
		w, h := r.W*unitsPerInch/72, r.H*unitsPerInch/72
		b = be16(append(b, 4, csAMB), y)
		b = be16(append(b, 4, csAMI), x)
		if w >= h {
			b = appendRule(b, csDIR, w, h)
		} else {
			b = appendRule(b, csDBR, h, w)
		}
	}
	return append(b, 2, csNOP)
}

// appendRule writes a draw-rule control sequence: the length, then the
// width as an integer and a fraction in 1/256.
func appendRule(b []byte, cs byte, length, width float64) []byte {
	b = be16(append(b, 7, cs), int(math.Round(length)))
	whole := math.Floor(width)
	frac := math.Round((width - whole) * 256)
	if frac == 256 {
		whole, frac = whole+1, 0
	}
	return append(be16(b, int(whole)), byte(frac))
}
