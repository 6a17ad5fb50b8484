package pdfmarks

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/omsd/omsd/marks"
)

// cell is a rectangle of whole grid cells: column, row (from the bottom),
// width and height.
type cell struct{ x, y, w, h int }

// gridCells puts rectangles on the grid of cells ux × uy points whose
// origin is at x0, y0; false when one is off the grid. Runs that repeat
// in the rows above one another become one rectangle.
func gridCells(rects []marks.Rect, x0, y0, ux, uy float64) ([]cell, bool) {
	cells := make([]cell, 0, len(rects))
	for _, r := range rects {
		c := cell{onGrid(r.X-x0, ux), onGrid(r.Y-y0, uy), onGrid(r.W, ux), onGrid(r.H, uy)}
		if c.x < 0 || c.y < 0 || c.w < 1 || c.h < 1 {
			return nil, false
		}
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b cell) int {
		return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.w, b.w), cmp.Compare(a.y, b.y))
	})
	merged := cells[:0]
	for _, c := range cells {
		if n := len(merged); n > 0 {
			last := &merged[n-1]
			if last.x == c.x && last.w == c.w && last.y+last.h == c.y {
				last.h += c.h
				continue
			}
		}
		merged = append(merged, c)
	}
	slices.SortFunc(merged, func(a, b cell) int { return cmp.Or(cmp.Compare(b.y, a.y), cmp.Compare(a.x, b.x)) })
	return merged, true
}

// onGrid is v in cells of u points, or -1 when v is not a whole number
// of cells.
func onGrid(v, u float64) int {
	n := math.Round(v / u)
	if math.Abs(n*u-v) > 1e-6 {
		return -1
	}
	return int(n)
}

// appendPrecise writes the grid's scale and origin to 1/100,000 point,
// so that a cell's edge at the far side of a symbol lies where the
// rectangles in points put it, to well under a device pixel.
func appendPrecise(b []byte, v float64) []byte {
	b = strconv.AppendFloat(b, v, 'f', 5, 64)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	return b
}

// appendGrid fills the cells in black, in a coordinate space of one unit
// a cell.
func appendGrid(b []byte, cells []cell, x0, y0, ux, uy float64) []byte {
	b = append(b, "q "...)
	for _, v := range []float64{ux, 0, 0, uy, x0, y0} {
		b = appendPrecise(b, v)
		b = append(b, ' ')
	}
	b = append(b, "cm 0 g\n"...)
	for _, c := range cells {
		for _, v := range [4]int{c.x, c.y, c.w, c.h} {
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, ' ')
		}
		b = append(b, "re\n"...)
	}
	return append(b, "f Q\n"...)
}
