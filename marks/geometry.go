package marks

import (
	"fmt"
	"math"
)

// Rect is a rectangle on the page in points: X, Y its lower left corner,
// with the origin at the lower left corner of the sheet and y upwards, as
// in PDF.
type Rect struct {
	X, Y, W, H float64
}

// Contains reports whether r lies wholly inside s (within 0.001 point).
func (r Rect) Contains(s Rect) bool {
	const eps = 1e-3
	return s.X >= r.X-eps && s.Y >= r.Y-eps && s.X+s.W <= r.X+r.W+eps && s.Y+s.H <= r.Y+r.H+eps
}

// Overlaps reports whether r and s share some area.
func (r Rect) Overlaps(s Rect) bool {
	return r.X < s.X+s.W && s.X < r.X+r.W && r.Y < s.Y+s.H && s.Y < r.Y+r.H
}

// clip is r cut to bounds.
func (r Rect) clip(bounds Rect) Rect {
	x0, y0 := math.Max(r.X, bounds.X), math.Max(r.Y, bounds.Y)
	x1, y1 := math.Min(r.X+r.W, bounds.X+bounds.W), math.Min(r.Y+r.H, bounds.Y+bounds.H)
	return Rect{x0, y0, math.Max(0, x1-x0), math.Max(0, y1-y0)}
}

// corner is where a mark is measured from.
type corner struct{ right, bottom bool }

// parseCorner reads top-left (the default when empty), top-right,
// bottom-left or bottom-right.
func parseCorner(s string) (corner, error) {
	switch s {
	case "", "top-left":
		return corner{}, nil
	case "top-right":
		return corner{right: true}, nil
	case "bottom-left":
		return corner{bottom: true}, nil
	case "bottom-right":
		return corner{right: true, bottom: true}, nil
	}
	return corner{}, fmt.Errorf("corner %q: want top-left, top-right, bottom-left or bottom-right", s)
}

// place returns the lower left corner of a box of size w×h whose nearest
// sides lie x from the corner's vertical edge and y from its horizontal
// edge, on paper pw×ph.
func (c corner) place(x, y, w, h, pw, ph float64) (float64, float64) {
	if c.right {
		x = pw - x - w
	}
	if !c.bottom {
		y = ph - y - h
	}
	return x, y
}

// Page is the paper as a rectangle.
func (p *Profile) Page() Rect {
	return Rect{0, 0, p.Paper.Width.Points(), p.Paper.Height.Points()}
}

// OMRPositions returns the rectangle of every OMR position of the
// profile, in read order; nil without an OMR code.
func (p *Profile) OMRPositions() []Rect {
	o := p.OMR
	if o == nil {
		return nil
	}
	c, _ := parseCorner(o.Corner)
	l, t := o.Length.Points(), o.Thickness.Points()
	rects := make([]Rect, len(o.Positions))
	for i := range rects {
		centre := o.Start.Points() + float64(i)*o.Pitch.Points()
		x, y := c.place(o.Edge.Points(), centre-t/2, l, t, p.Page().W, p.Page().H)
		rects[i] = Rect{x, y, l, t}
	}
	return rects
}

// omrZone is the clear zone of the OMR code.
func (p *Profile) omrZone() Rect {
	o := p.OMR
	c, _ := parseCorner(o.Corner)
	span := o.Pitch.Points() * float64(len(o.Positions)-1)
	side, before := o.Clear.Side.Points(), o.Clear.Before.Points()
	w := o.Length.Points() + 2*side
	h := before + span + o.Clear.After.Points()
	x, y := c.place(o.Edge.Points()-side, o.Start.Points()-before, w, h, p.Page().W, p.Page().H)
	return Rect{x, y, w, h}
}
