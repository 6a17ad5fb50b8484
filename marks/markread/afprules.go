package markread

import (
	"bytes"
	"fmt"
	"io"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/marks"
)

// Fields of presentation text objects, as AFP marks use them.
const (
	idBPT = 0xD3A89B
	idPTD = 0xD3B19B
	idPTX = 0xD3EE9B
)

// AFPPageRules reads the rules of every page of an AFP print file, as a
// printer would draw them: the PTOCA draw-rule controls of each
// presentation text object that sets its own units (a PTD), as
// rectangles in points from the lower left corner of a paper paperH
// points high. Text objects without a PTD (the page's own) are skipped.
func AFPPageRules(b []byte, paperH float64) ([][]marks.Rect, error) {
	r := afp.NewReader(bytes.NewReader(b))
	var pages [][]marks.Rect
	upi := 0.0
	for {
		f, err := r.Next()
		if err == io.EOF {
			return pages, nil
		}
		if err != nil {
			return nil, err
		}
		switch f.ID {
		case afp.IDBPG:
			pages, upi = append(pages, nil), 0
		case idBPT:
			upi = 0
		case idPTD:
			if len(f.Data) < 4 {
				return nil, fmt.Errorf("PTD at %d: %d bytes", f.Offset, len(f.Data))
			}
			upi = float64(int(f.Data[2])<<8|int(f.Data[3])) / 10
		case idPTX:
			if upi == 0 || len(pages) == 0 {
				continue
			}
			rules, err := PTOCARules(f.Data, upi, paperH)
			if err != nil {
				return nil, fmt.Errorf("page %d: PTX at %d: %w", len(pages), f.Offset, err)
			}
			pages[len(pages)-1] = append(pages[len(pages)-1], rules...)
		}
	}
}

// PTOCARules runs the control sequences of a PTX in units of upi per inch
// and returns the rules they draw, in points from the lower left corner
// of a paper paperH points high.
func PTOCARules(d []byte, upi, paperH float64) ([]marks.Rect, error) {
	var rules []marks.Rect
	i, b := 0.0, 0.0
	chained := false
	u16 := func(p []byte) float64 { return float64(int(p[0])<<8 | int(p[1])) }
	pt := func(u float64) float64 { return u / upi * 72 }
	for pos := 0; pos < len(d); {
		if !chained {
			if pos+2 > len(d) || d[pos] != 0x2B || d[pos+1] != 0xD3 {
				return nil, fmt.Errorf("no escape at %d", pos)
			}
			pos += 2
		}
		if pos >= len(d) {
			return nil, fmt.Errorf("escape without a control sequence at %d", pos)
		}
		n := int(d[pos])
		if n < 2 || pos+n > len(d) {
			return nil, fmt.Errorf("bad control sequence length %d at %d", n, pos)
		}
		typ, p := d[pos+1], d[pos+2:pos+n]
		chained = typ&1 == 1
		switch typ &^ 1 {
		case 0xD2: // absolute move baseline
			if len(p) >= 2 {
				b = u16(p)
			}
		case 0xC6: // absolute move inline
			if len(p) >= 2 {
				i = u16(p)
			}
		case 0xE4, 0xE6: // I-axis rule right, B-axis rule down
			if len(p) < 5 {
				return nil, fmt.Errorf("rule control of %d bytes at %d", n, pos)
			}
			w, h := u16(p), u16(p[2:])+float64(p[4])/256
			if typ&^1 == 0xE6 {
				w, h = h, w
			}
			rules = append(rules, marks.Rect{X: pt(i), Y: paperH - pt(b) - pt(h), W: pt(w), H: pt(h)})
		}
		pos += n
	}
	return rules, nil
}
