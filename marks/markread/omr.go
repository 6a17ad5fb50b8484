package markread

import (
	"fmt"
	"math"

	"github.com/omsd/omsd/marks"
)

// ReadOMR rebuilds an OMR code from an image of its zone, as the line's
// reader does: it finds the dark lines across the middle of the marks'
// band and maps each line's centre to the nearest of the profile's
// positions. The result holds, per position in read order, whether it is
// marked. A line that lies at no position, or is not as thick as a mark,
// is an error wrapping ErrUnreadable.
func ReadOMR(im Image, p *marks.Profile) ([]bool, error) {
	pos := p.OMRPositions()
	if len(pos) == 0 {
		return nil, fmt.Errorf("%w: profile %s has no OMR code", ErrUnreadable, p.Name)
	}
	pitch := math.Inf(1)
	if len(pos) > 1 {
		pitch = math.Abs(pos[1].Y - pos[0].Y)
	}
	from, _ := im.ToPixels(pos[0].X+pos[0].W*0.2, 0)
	to, _ := im.ToPixels(pos[0].X+pos[0].W*0.8, 0)
	code := make([]bool, len(pos))
	b := im.Rect
	start := -1
	for y := b.Min.Y; y <= b.Max.Y; y++ {
		dark := 0
		for x := from; y < b.Max.Y && x < to; x++ {
			if Dark(im.Gray, x, y) {
				dark++
			}
		}
		switch {
		case 2*dark > to-from && start < 0:
			start = y
		case 2*dark <= to-from && start >= 0:
			i, err := matchLine(im, pos, float64(start+y-1)/2, float64(y-start), pitch)
			if err != nil {
				return nil, err
			}
			code[i] = true
			start = -1
		}
	}
	return code, nil
}

// matchLine finds the position of a line centred on pixel row cy, rows
// high.
func matchLine(im Image, pos []marks.Rect, cy, rows, pitch float64) (int, error) {
	_, y := im.ToPoints(0, cy)
	thick := rows * 72 / im.View.DPI
	for i, r := range pos {
		if math.Abs(r.Y+r.H/2-y) < pitch/3 {
			if math.Abs(thick-r.H) > 2*72/im.View.DPI {
				return 0, fmt.Errorf("%w: line at %.1fpt is %.2fpt thick, want %.2f", ErrUnreadable, y, thick, r.H)
			}
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: line at %.1fpt is at no position", ErrUnreadable, y)
}
