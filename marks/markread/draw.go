package markread

import (
	"image"
	"math"

	"github.com/omsd/omsd/marks"
)

// Draw paints rectangles (in points, PDF space) black on a white image of
// view v of a page pageH points high: the marks of a sheet as a renderer
// would print them, for formats no tool here renders (AFP).
func Draw(v View, pageH float64, rects []marks.Rect) Image {
	_, _, w, h := v.pixels(pageH)
	im := Image{Gray: image.NewGray(image.Rect(0, 0, w, h)), View: v, PageH: pageH}
	for i := range im.Pix {
		im.Pix[i] = 0xFF
	}
	s := v.DPI / 72
	x0, y0, _, _ := v.pixels(pageH)
	for _, r := range rects {
		// a pixel is painted when its centre lies inside, as rasterisers do
		px0 := int(math.Round(r.X*s)) - x0
		px1 := int(math.Round((r.X+r.W)*s)) - x0
		py0 := int(math.Round((pageH-r.Y-r.H)*s)) - y0
		py1 := int(math.Round((pageH-r.Y)*s)) - y0
		for y := max(py0, 0); y < min(py1, h); y++ {
			for x := max(px0, 0); x < min(px1, w); x++ {
				im.Pix[y*im.Stride+x] = 0
			}
		}
	}
	return im
}
