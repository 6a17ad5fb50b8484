package markread

import "fmt"

// ReadIMb reads the bars of an Intelligent Mail barcode from an image of
// its zone: it finds the bars along a line through the middle of the
// symbol (the tracker, which every bar crosses), measures each bar's top
// and bottom, and classifies it against the highest top and the lowest
// bottom: F (full), A (ascender), D (descender) or T (tracker).
func ReadIMb(im Image) (string, error) {
	g := im.Gray
	b := g.Bounds()
	top, bottom := b.Max.Y, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if Dark(g, x, y) {
				top, bottom = min(top, y), max(bottom, y)
			}
		}
	}
	if top >= bottom {
		return "", fmt.Errorf("%w: no IMb bars", ErrUnreadable)
	}
	mid := (top + bottom) / 2
	third := float64(bottom-top+1) / 3
	var bars []byte
	for x := b.Min.X; x < b.Max.X; x++ {
		if !Dark(g, x, mid) || Dark(g, x-1, mid) {
			continue
		}
		end := x
		for end < b.Max.X && Dark(g, end, mid) {
			end++
		}
		c := (x + end) / 2
		t, u := mid, mid
		for t > top && Dark(g, c, t-1) {
			t--
		}
		for u < bottom && Dark(g, c, u+1) {
			u++
		}
		asc, desc := float64(t-top) < third/2, float64(bottom-u) < third/2
		bars = append(bars, "TDAF"[btoi(asc)*2+btoi(desc)])
	}
	return string(bars), nil
}
