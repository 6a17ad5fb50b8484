package pdfmarks

import (
	"math"
	"testing"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// TestOMRGeometry measures the first and last marks of the shipped OMR
// codes on a page rendered at 300 dpi, against the figures their files
// give in millimetres.
func TestOMRGeometry(t *testing.T) {
	const dpi = 300
	for _, c := range []struct {
		profile      string
		left, length float64 // of the marks, from the left edge
		first, last  float64 // centre lines, from the top edge
		thickness    float64
	}{
		{"pb-omr", 8, 15, 100, 100 + 12*4.2333, 0.5},
		{"quadient-omr", 210 - 6 - 12, 12, 100, 100 + 10*4.2333, 0.4},
	} {
		p := loadProfile(t, c.profile)
		r := newMailRun(t, 1, false)
		path, _ := r.write(t, p)
		page := marks.Rect{W: p.Page().W, H: p.Page().H}
		g := render(t, path, p, page, dpi)[0].Gray
		mm := func(px float64) float64 { return px / dpi * 25.4 }
		px := func(mm float64) int { return int(mm / 25.4 * dpi) }
		col := px(c.left + c.length/2)
		var lines [][2]int // first and last dark row of each line
		for y := 0; y < g.Rect.Dy(); y++ {
			if !markread.Dark(g, col, y) {
				continue
			}
			if n := len(lines); n > 0 && lines[n-1][1] == y-1 {
				lines[n-1][1] = y
			} else {
				lines = append(lines, [2]int{y, y})
			}
		}
		if len(lines) < 2 {
			t.Fatalf("%s: %d lines found", c.profile, len(lines))
		}
		first, last := lines[0], lines[len(lines)-1]
		x0, x1 := col, col
		for x0 > 0 && markread.Dark(g, x0-1, first[0]) {
			x0--
		}
		for x1 < g.Rect.Dx()-1 && markread.Dark(g, x1+1, first[0]) {
			x1++
		}
		const tol = 0.15 // mm: a pixel at 300 dpi and a bit
		for _, m := range []struct {
			what      string
			got, want float64
		}{
			{"left end", mm(float64(x0)), c.left},
			{"length", mm(float64(x1 - x0 + 1)), c.length},
			{"first centre", mm(float64(first[0]+first[1]+1) / 2), c.first},
			{"last centre", mm(float64(last[0]+last[1]+1) / 2), c.last},
			{"thickness", mm(float64(first[1] - first[0] + 1)), c.thickness},
		} {
			if math.Abs(m.got-m.want) > tol {
				t.Errorf("%s: %s %.2f mm, want %.2f", c.profile, m.what, m.got, m.want)
			}
		}
	}
}
