package marks

import (
	"fmt"
)

// quietModules is the quiet zone of a symbology, in modules: Data Matrix
// needs one, 1D codes ten on either end.
func quietModules(symbology string) float64 {
	if is2D(symbology) {
		return 1
	}
	return 10
}

// symbolSize is the size of an encoded symbol before rotation, in points.
func (b *Barcode) symbolSize(s *symbol) (w, h float64) {
	m := b.Module.Points()
	if is2D(b.Symbology) {
		return float64(s.cols) * m, float64(s.rows) * m
	}
	return float64(s.cols) * m, b.Height.Points()
}

// box is the rotated symbol's bounding box on the page.
func (p *Profile) box(s *symbol) Rect {
	b := p.Barcode
	w, h := b.symbolSize(s)
	if b.Rotate == 90 || b.Rotate == 270 {
		w, h = h, w
	}
	c, _ := parseCorner(b.Corner)
	x, y := c.place(b.X.Points(), b.Y.Points(), w, h, p.Page().W, p.Page().H)
	return Rect{x, y, w, h}
}

// BarcodeRects encodes text in the profile's symbology and returns its
// dark modules as rectangles on the page: each run of dark modules in a
// row is one rectangle (a whole bar, for 1D codes).
func (p *Profile) BarcodeRects(text string) ([]Rect, error) {
	b := p.Barcode
	if b == nil {
		return nil, fmt.Errorf("%w: the profile has no barcode", ErrProfile)
	}
	s, err := encodeSymbol(b.Symbology, text)
	if err != nil {
		return nil, err
	}
	box := p.box(s)
	m := b.Module.Points()
	rowH := m
	if !is2D(b.Symbology) {
		rowH = b.Height.Points()
	}
	var rects []Rect
	for y := range s.rows {
		for x := 0; x < s.cols; {
			if !s.at(x, y) {
				x++
				continue
			}
			run := x
			for run < s.cols && s.at(run, y) {
				run++
			}
			r := Rect{float64(x) * m, float64(y) * rowH, float64(run-x) * m, rowH}
			rects = append(rects, b.rotate(r, box))
			x = run
		}
	}
	return rects, nil
}

// rotate maps a rectangle in symbol space (origin at the symbol's top left
// corner, y downwards) onto the page, inside the rotated box.
func (b *Barcode) rotate(r Rect, box Rect) Rect {
	u0, v0, u1, v1 := r.X, r.Y, r.X+r.W, r.Y+r.H
	var x0, y0, x1, y1 float64
	switch b.Rotate {
	case 90: // reading upwards: u goes up, v goes right
		x0, x1, y0, y1 = box.X+v0, box.X+v1, box.Y+u0, box.Y+u1
	case 180: // u goes left, v goes up
		x0, x1, y0, y1 = box.X+box.W-u1, box.X+box.W-u0, box.Y+v0, box.Y+v1
	case 270: // u goes down, v goes left
		x0, x1, y0, y1 = box.X+box.W-v1, box.X+box.W-v0, box.Y+box.H-u1, box.Y+box.H-u0
	default:
		x0, x1, y0, y1 = box.X+u0, box.X+u1, box.Y+box.H-v1, box.Y+box.H-v0
	}
	return Rect{x0, y0, x1 - x0, y1 - y0}
}

// BarcodeBox returns where the symbol for text lies on the page, and its
// area with the quiet zone around it.
func (p *Profile) BarcodeBox(text string) (symbol, zone Rect, err error) {
	b := p.Barcode
	if b == nil {
		return Rect{}, Rect{}, fmt.Errorf("%w: the profile has no barcode", ErrProfile)
	}
	s, err := encodeSymbol(b.Symbology, text)
	if err != nil {
		return Rect{}, Rect{}, err
	}
	box := p.box(s)
	q := quietModules(b.Symbology) * b.Module.Points()
	qx, qy := q, b.Module.Points()
	if is2D(b.Symbology) {
		qy = q
	}
	if b.Rotate == 90 || b.Rotate == 270 {
		qx, qy = qy, qx
	}
	return box, Rect{box.X - qx, box.Y - qy, box.W + 2*qx, box.H + 2*qy}.clip(p.Page()), nil
}
