package topdf

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/afp"
)

// ipdImage is an image segment: w×h pixels at 72 an inch, uncompressed,
// bits per pixel as given.
func ipdImage(w, h, bits int, data []byte) []byte {
	d := []byte{0x70, 0x00, 0x91, 0x01, 0xFF,
		0x94, 0x09, 0x00, 0x02, 0xD0, 0x02, 0xD0, byte(w >> 8), byte(w), byte(h >> 8), byte(h),
		0x95, 0x02, 0x03, 0x01, 0x96, 0x01, byte(bits)}
	d = append(d, 0xFE, 0x92, byte(len(data)>>8), byte(len(data)))
	return append(append(d, data...), 0x93, 0x00, 0x71, 0x00)
}

// positioned is an image object at x, y inches, placed at its own
// resolution (mapping: position).
func positioned(x, y int, ipd []byte) []*afp.Field {
	obp := []byte{0x01, 0x17, byte(x * 1440 >> 16), byte(x * 1440 >> 8), byte(x * 1440), byte(y * 1440 >> 16), byte(y * 1440 >> 8), byte(y * 1440),
		0, 0, 0x2D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2D, 0, 0}
	return []*afp.Field{fld(idBIM, ebcdicName("IMG")), fld(idBOG), fld(idOBP, obp), fld(idMIO, []byte{0, 5, 3, 0x04, 0x00}), fld(idEOG),
		fld(idIPD, ipd), fld(idEIM, ebcdicName("IMG"))}
}

// TestIOCAPixelExact: uncompressed bilevel and grey IOCA images come out
// of the PDF, as poppler decodes them, with every pixel as the image data
// says (bilevel: 1 is black).
func TestIOCAPixelExact(t *testing.T) {
	needTool(t, "pdfimages", "poppler-utils")
	const w, h = 16, 8
	bilevel := make([]byte, w/8*h)
	grey := make([]byte, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x*3+y*5)%7 < 3 {
				bilevel[y*w/8+x/8] |= 0x80 >> (x % 8)
			}
			grey[y*w+x] = byte((x*37 + y*91) % 256)
		}
	}
	fields := append(positioned(1, 1, ipdImage(w, h, 1, bilevel)), positioned(2, 1, ipdImage(w, h, 8, grey))...)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "i.pdf")
	res := transformFile(t, buildAFP(t, page(fields...)...), pdf, Options{})
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	// poppler's decoding of the PDF's image streams is the reference
	run(t, "pdfimages", "-png", pdf, filepath.Join(dir, "img"))
	pngs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if len(pngs) != 2 {
		t.Fatalf("%d images in the PDF, want 2", len(pngs))
	}
	decode := func(path string) image.Image {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	bw, gr := decode(pngs[0]), decode(pngs[1])
	bad := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			want := uint8(255)
			if bilevel[y*w/8+x/8]&(0x80>>(x%8)) != 0 {
				want = 0
			}
			if got := color.GrayModel.Convert(bw.At(x, y)).(color.Gray).Y; got != want {
				bad++
			}
			if got := color.GrayModel.Convert(gr.At(x, y)).(color.Gray).Y; got != grey[y*w+x] {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d pixels differ from the image data", bad, 2*w*h)
	}
}
