package marks

import (
	"fmt"
	"math"
	"testing"
)

func TestOMRPositionsByCorner(t *testing.T) {
	for _, c := range []struct {
		corner string
		x, y0  float64 // of the first mark, in mm, its centre line
		dy     float64 // direction of the following marks
	}{
		{"top-left", 8, 297 - 100, -1},
		{"top-right", 210 - 8 - 15, 297 - 100, -1},
		{"bottom-left", 8, 100, 1},
		{"bottom-right", 210 - 8 - 15, 100, 1},
	} {
		p := mustParse(t, replaceOnce(omrYAML, "corner: top-left", "corner: "+c.corner))
		pos := p.OMRPositions()
		for i, r := range pos {
			centre := c.y0 + c.dy*float64(i)*4.2333
			if !near(r.X, c.x) || !near(r.Y+r.H/2, centre) || !near(r.W, 15) || !near(r.H, 0.5) {
				t.Errorf("%s: position %d at %.2f,%.2f %.2fx%.2f mm, want %.2f,%.2f 15x0.5", c.corner, i+1,
					r.X/mmPt, (r.Y+r.H/2)/mmPt, r.W/mmPt, r.H/mmPt, c.x, centre)
			}
		}
	}
}

const mmPt = 72 / 25.4

// near compares a length in points with one in millimetres.
func near(pt, mm float64) bool { return math.Abs(pt-mm*mmPt) < 1e-6 }

func replaceOnce(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}

func TestBarcodeRotation(t *testing.T) {
	// An asymmetric code: its first bar (the start pattern) must land on
	// the side the rotation turns the symbol's left side to.
	for _, c := range []struct {
		rotate int
		side   string // where the first dark run lies in the box
	}{{0, "left"}, {90, "bottom"}, {180, "right"}, {270, "top"}} {
		src := fmt.Sprintf("name: r\nbarcode: {symbology: code128, content: \"{envelope:6}\", corner: bottom-left, x: 20mm, y: 30mm, module: 0.5mm, height: 12mm, rotate: %d}\n", c.rotate)
		p := mustParse(t, src)
		rects, err := p.BarcodeRects("ABC123")
		if err != nil {
			t.Fatal(err)
		}
		box, zone, err := p.BarcodeBox("ABC123")
		if err != nil {
			t.Fatal(err)
		}
		if !near(box.X, 20) || !near(box.Y, 30) || !zone.Contains(box) {
			t.Errorf("rotate %d: box %+v zone %+v, want the box at 20,30 mm inside the zone", c.rotate, box, zone)
		}
		long, short := box.W, box.H
		if c.rotate == 90 || c.rotate == 270 {
			long, short = short, long
		}
		if !near(short, 12) || long < 40*mmPt {
			t.Errorf("rotate %d: box %.1fx%.1f mm", c.rotate, box.W/mmPt, box.H/mmPt)
		}
		first := rects[0]
		for _, r := range rects {
			if !box.Contains(r) {
				t.Fatalf("rotate %d: bar %+v outside the box %+v", c.rotate, r, box)
			}
		}
		if !touches(box, first, c.side) {
			t.Errorf("rotate %d: the start bar %+v does not touch the box's %s side %+v", c.rotate, first, c.side, box)
		}
	}
}

// touches reports whether r lies on the named side of box.
func touches(box, r Rect, side string) bool {
	const eps = 1e-6
	switch side {
	case "left":
		return math.Abs(r.X-box.X) < eps
	case "right":
		return math.Abs(r.X+r.W-box.X-box.W) < eps
	case "bottom":
		return math.Abs(r.Y-box.Y) < eps
	}
	return math.Abs(r.Y+r.H-box.Y-box.H) < eps
}

func TestDataMatrixRects(t *testing.T) {
	p := mustParse(t, "name: dm\nbarcode: {symbology: datamatrix, content: \"{envelope:10}\", corner: top-right, x: 10mm, y: 10mm, module: 0.5mm}\n")
	rects, err := p.BarcodeRects("0000000001")
	if err != nil {
		t.Fatal(err)
	}
	box, _, _ := p.BarcodeBox("0000000001")
	// 10 digits make a 12x12 symbol: 6 mm, its right side 10 mm from the
	// paper's, its top 10 mm from the top.
	if !near(box.W, 6) || !near(box.H, 6) || !near(box.X+box.W, 200) || !near(box.Y+box.H, 287) {
		t.Errorf("box %.2f,%.2f %.2fx%.2f mm", box.X/mmPt, box.Y/mmPt, box.W/mmPt, box.H/mmPt)
	}
	// The finder pattern: the left column is one dark run per row (12),
	// the bottom row one run from the left edge across the symbol.
	area := 0.0
	bottom := false
	for _, r := range rects {
		area += r.W * r.H
		if near(r.Y, 287-6) && near(r.X, 194) && near(r.W, 6) {
			bottom = true
		}
	}
	m := 0.5 * mmPt
	if !bottom || area < 12*12*m*m/3 || area > 12*12*m*m*2/3+1e-6 {
		t.Errorf("modules: solid bottom row %v, dark area %.1f modules of 144", bottom, area/(m*m))
	}
}
