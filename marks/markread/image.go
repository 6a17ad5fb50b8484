package markread

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strconv"

	"github.com/omsd/omsd/marks"
)

// Image is a rendered area of a page: grey pixels, row 0 at the top, and
// the area of the page (in points, PDF space: origin at the lower left,
// y upwards) they show.
type Image struct {
	*image.Gray
	View  View
	PageH float64 // the page's height in points
}

// View is an area of a page looked at with a resolution.
type View struct {
	Name string // omr, barcode, imb, or the caller's
	Area marks.Rect
	DPI  float64
}

// pixels is the view's pixel rectangle on a page pageH points high, from
// the page's top left corner.
func (v View) pixels(pageH float64) (x, y, w, h int) {
	s := v.DPI / 72
	x0, x1 := math.Floor(v.Area.X*s), math.Ceil((v.Area.X+v.Area.W)*s)
	y0, y1 := math.Floor((pageH-v.Area.Y-v.Area.H)*s), math.Ceil((pageH-v.Area.Y)*s)
	return int(x0), int(y0), int(x1 - x0), int(y1 - y0)
}

// ToPoints maps pixel (px, py) of the image (its centre) to the page, in
// points.
func (im Image) ToPoints(px, py float64) (x, y float64) {
	x0, y0, _, _ := im.View.pixels(im.PageH)
	s := 72 / im.View.DPI
	return (float64(x0) + px + 0.5) * s, im.PageH - (float64(y0)+py+0.5)*s
}

// ToPixels maps a point of the page to the image's pixel holding it.
func (im Image) ToPixels(x, y float64) (px, py int) {
	x0, y0, _, _ := im.View.pixels(im.PageH)
	s := im.View.DPI / 72
	return int(math.Floor(x*s)) - x0, int(math.Floor((im.PageH-y)*s)) - y0
}

// Dark reports whether a pixel is dark; pixels outside the image are not.
func Dark(g *image.Gray, x, y int) bool {
	return image.Pt(x, y).In(g.Rect) && g.Pix[(y-g.Rect.Min.Y)*g.Stride+x-g.Rect.Min.X] < 128
}

// DarkCount counts the dark pixels of an image.
func DarkCount(g *image.Gray) int {
	n := 0
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
			if Dark(g, x, y) {
				n++
			}
		}
	}
	return n
}

// ReadGray reads a PNG or a binary 8-bit PGM (P5, as pdftoppm writes) as
// grey levels.
func ReadGray(path string) (*image.Gray, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	if bytes.HasPrefix(b, []byte("P5")) {
		g, err := decodePGM(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return g, nil
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return toGray(img), nil
}

// toGray converts an image to grey levels.
func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return g
}

// decodePGM decodes a binary PGM with 8-bit samples.
func decodePGM(b []byte) (*image.Gray, error) {
	var head [4]string // magic, width, height, maxval
	i := 0
	for k := range head {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		j := i
		for j < len(b) && !isSpace(b[j]) {
			j++
		}
		head[k] = string(b[i:j])
		i = j + 1 // one whitespace byte ends the header
	}
	w, errW := strconv.Atoi(head[1])
	h, errH := strconv.Atoi(head[2])
	if head[0] != "P5" || head[3] != "255" || errW != nil || errH != nil || w <= 0 || h <= 0 ||
		i > len(b) || len(b)-i != w*h {
		return nil, fmt.Errorf("not an 8-bit binary PGM (header %q)", head)
	}
	return &image.Gray{Pix: b[i:], Stride: w, Rect: image.Rect(0, 0, w, h)}, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// WritePNG writes a grey image as a PNG file.
func WritePNG(path string, g *image.Gray) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		return fmt.Errorf("png: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("png: %w", err)
	}
	return nil
}
