package pdfmarks

import (
	"fmt"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/pdf"
)

// drawer draws the marks of one output's pages.
type drawer struct {
	p      *marks.Profile
	sheets []marks.SheetMarks
	sides  []side
	omr    []marks.Rect // the profile's OMR positions
}

// hook is the output's pdf.PageHook: the content for output page i.
func (d *drawer) hook(i, _ int) ([]byte, error) {
	sd := d.sides[i]
	if !d.marked(sd.back) {
		return nil, nil
	}
	s := &d.sheets[sd.sheet]
	b := make([]byte, 0, 512)
	b = d.appendOMR(b, s)
	if d.p.Barcode != nil && s.Barcode != "" {
		var err error
		if b, err = d.appendBarcode(b, s.Barcode); err != nil {
			return nil, fmt.Errorf("sheet %d: %w", sd.sheet+1, err)
		}
	}
	if d.p.IMb != nil && s.IMb != "" && !sd.back {
		rects, err := d.p.IMbRects(s.IMb)
		if err != nil {
			return nil, fmt.Errorf("sheet %d: %w", sd.sheet+1, err)
		}
		b = appendRects(b, rects)
	}
	return b, nil
}

// marked reports whether the profile marks a front or a back.
func (d *drawer) marked(back bool) bool {
	switch d.p.Sides {
	case marks.SidesBoth:
		return true
	case marks.SidesBack:
		return back
	}
	return !back
}

// appendOMR draws the sheet's OMR marks: the mark form at each marked
// position.
func (d *drawer) appendOMR(b []byte, s *marks.SheetMarks) []byte {
	form := pdf.FormName(0)
	for i, on := range s.OMR {
		if !on || i >= len(d.omr) {
			continue
		}
		b = append(b, "q 1 0 0 1 "...)
		b = appendNum(b, d.omr[i].X)
		b = append(b, ' ')
		b = appendNum(b, d.omr[i].Y)
		b = append(b, " cm /"...)
		b = append(b, form...)
		b = append(b, " Do Q\n"...)
	}
	return b
}

// appendRects fills rectangles in black.
func appendRects(b []byte, rects []marks.Rect) []byte {
	if len(rects) == 0 {
		return b
	}
	b = append(b, "0 g\n"...)
	for _, r := range rects {
		b = appendNum(b, r.X)
		b = append(b, ' ')
		b = appendNum(b, r.Y)
		b = append(b, ' ')
		b = appendNum(b, r.W)
		b = append(b, ' ')
		b = appendNum(b, r.H)
		b = append(b, " re\n"...)
	}
	return append(b, "f\n"...)
}

// appendBarcode draws the symbol of text. A Data Matrix is drawn as whole
// cells of a grid of modules from its lower left corner, which takes a
// third of the bytes of the same rectangles in points and rasterizes to
// the same pixels; bars of 1D codes, few and spread over a hundred
// modules, stay rectangles in points.
func (d *drawer) appendBarcode(b []byte, text string) ([]byte, error) {
	rects, err := d.p.BarcodeRects(text)
	if err != nil || len(rects) == 0 {
		return b, err
	}
	if d.p.Barcode.Symbology != marks.DataMatrix {
		return appendRects(b, rects), nil
	}
	m := d.p.Barcode.Module.Points()
	x0, y0 := rects[0].X, rects[0].Y
	for _, r := range rects[1:] {
		x0, y0 = min(x0, r.X), min(y0, r.Y)
	}
	if cells, ok := gridCells(rects, x0, y0, m, m); ok {
		return appendGrid(b, cells, x0, y0, m, m), nil
	}
	return appendRects(b, rects), nil
}
