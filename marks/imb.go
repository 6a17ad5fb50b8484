package marks

import (
	"fmt"
	"strings"

	"github.com/omsd/omsd/imb"
)

// IMb bar geometry (USPS-B-3200): bars 0.020 in wide at 22 bars per inch;
// a full bar 0.145 in high, in thirds: the tracker is the middle third,
// an ascender the upper two, a descender the lower two.
const (
	imbBarWidth = 0.020 * 72
	imbPitch    = 72.0 / 22
	imbThird    = 0.145 * 72 / 3
	imbClearX   = 0.125 * 72
	imbClearY   = 0.028 * 72
)

// imbSize is the size of the 65 bars.
func imbSize() (w, h float64) {
	return float64(imb.Bars-1)*imbPitch + imbBarWidth, 3 * imbThird
}

// imbOrigin is the lower left corner of the bars on the page.
func (p *Profile) imbOrigin() (float64, float64) {
	_, h := imbSize()
	c, _ := parseCorner(p.IMb.Corner)
	x, y := p.IMb.X.Points(), p.IMb.Y.Points()
	if c.right {
		x = p.Page().W - x // from the right edge to the leftmost bar, as USPS measures
	}
	if !c.bottom {
		y = p.Page().H - y - h
	}
	return x, y
}

// IMbRects returns the bars of an IMb (65 letters F, A, D, T) as
// rectangles on the page.
func (p *Profile) IMbRects(bars string) ([]Rect, error) {
	if p.IMb == nil {
		return nil, fmt.Errorf("%w: the profile has no imb", ErrProfile)
	}
	if len(bars) != imb.Bars || strings.Trim(bars, "FADT") != "" {
		return nil, fmt.Errorf("%w: IMb %q: want %d letters F, A, D, T", ErrContent, bars, imb.Bars)
	}
	x0, y0 := p.imbOrigin()
	rects := make([]Rect, imb.Bars)
	for i := range rects {
		lo, hi := 1.0, 2.0 // tracker
		switch bars[i] {
		case 'F':
			lo, hi = 0, 3
		case 'A':
			hi = 3
		case 'D':
			lo = 0
		}
		rects[i] = Rect{x0 + float64(i)*imbPitch, y0 + lo*imbThird, imbBarWidth, (hi - lo) * imbThird}
	}
	return rects, nil
}

// imbZone is the IMb's clear zone.
func (p *Profile) imbZone() Rect {
	x, y := p.imbOrigin()
	w, h := imbSize()
	return Rect{x - imbClearX, y - imbClearY, w + 2*imbClearX, h + 2*imbClearY}.clip(p.Page())
}
