package pdfmarks

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/marks"
)

// crop is an area of the page rendered at a resolution.
type crop struct {
	area  marks.Rect // in points, PDF space
	dpi   float64
	pageH float64 // page height in points
}

// pixels is the crop's pixel rectangle, from the page's top left corner.
func (c crop) pixels() (x, y, w, h int) {
	s := c.dpi / 72
	x0, x1 := math.Floor(c.area.X*s), math.Ceil((c.area.X+c.area.W)*s)
	y0, y1 := math.Floor((c.pageH-c.area.Y-c.area.H)*s), math.Ceil((c.pageH-c.area.Y)*s)
	return int(x0), int(y0), int(x1 - x0), int(y1 - y0)
}

// toPoints maps a pixel of the crop back to PDF space (its centre).
func (c crop) toPoints(px, py float64) (x, y float64) {
	x0, y0, _, _ := c.pixels()
	s := 72 / c.dpi
	return (float64(x0) + px + 0.5) * s, c.pageH - (float64(y0)+py+0.5)*s
}

// renderCrops renders the crop of every page of the PDF at path with
// pdftoppm, in one run, without anti-aliasing, and returns the files in
// page order: PNG, or PGM (quicker to read) for format "pgm".
func renderCrops(t *testing.T, path string, c crop, format string) []string {
	t.Helper()
	bin := pdftest.NeedTool(t, "pdftoppm", "poppler-utils")
	x, y, w, h := c.pixels()
	prefix := filepath.Join(t.TempDir(), "p")
	args := []string{"-r", fmt.Sprint(c.dpi), "-gray", "-aa", "no", "-aaVector", "no",
		"-x", fmt.Sprint(x), "-y", fmt.Sprint(y), "-W", fmt.Sprint(w), "-H", fmt.Sprint(h), path, prefix}
	if format == "png" {
		args = append([]string{"-png"}, args...)
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm %s: %v\n%s", path, err, out)
	}
	files, err := filepath.Glob(prefix + "-*." + format)
	if err != nil || len(files) == 0 {
		t.Fatalf("pdftoppm wrote no pages (%v)", err)
	}
	sort.Strings(files) // names are zero-padded to the same width
	return files
}

// readGray reads a PNG or a binary PGM as grey levels.
func readGray(t *testing.T, path string) *image.Gray {
	t.Helper()
	if strings.HasSuffix(path, ".pgm") {
		return readPGM(t, path)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	g := image.NewGray(b)
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.RGBA: // pdftoppm -gray -png writes grey as RGB
		for i := range g.Pix {
			y, x := i/b.Dx(), i%b.Dx()
			g.Pix[i] = m.Pix[y*m.Stride+4*x]
		}
		return g
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return g
}

// readPGM reads a binary PGM (P5) with 8-bit samples, as pdftoppm writes.
func readPGM(t *testing.T, path string) *image.Gray {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var head []string // magic, width, height, maxval
	i := 0
	for len(head) < 4 && i < len(b) {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
			i++
		}
		j := i
		for j < len(b) && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
			j++
		}
		head = append(head, string(b[i:j]))
		i = j + 1 // one whitespace byte ends the header
	}
	if len(head) != 4 {
		t.Fatalf("%s: not a PGM", path)
	}
	w, errW := strconv.Atoi(head[1])
	h, errH := strconv.Atoi(head[2])
	if head[0] != "P5" || head[3] != "255" || errW != nil || errH != nil || len(b)-i != w*h {
		t.Fatalf("%s: not an 8-bit binary PGM (header %q)", path, head)
	}
	return &image.Gray{Pix: b[i:], Stride: w, Rect: image.Rect(0, 0, w, h)}
}

// isDark reports whether a pixel is dark.
func isDark(g *image.Gray, x, y int) bool { return g.GrayAt(x, y).Y < 128 }

// darkCount counts the dark pixels of an image.
func darkCount(g *image.Gray) int {
	n := 0
	b := g.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if isDark(g, x, y) {
				n++
			}
		}
	}
	return n
}
