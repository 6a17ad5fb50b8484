package pdfmarks

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/pdf"
)

// TestBarcodeGridSamePixels renders every marked page's Data Matrix as
// drawn in module units and as the same rectangles in points, at three
// resolutions: the rasterizer makes the same pixels.
func TestBarcodeGridSamePixels(t *testing.T) {
	for _, p := range []*marks.Profile{loadProfile(t, "datamatrix-fbp")} {
		t.Run(p.Barcode.Symbology, func(t *testing.T) {
			r := newMailRun(t, 12, false)
			grid, sheets := r.write(t, p)
			points := filepath.Join(t.TempDir(), "points.pdf")
			o := Output{Path: points, Pages: r.pages, Sheets: sheets}
			spec, err := newSpec(&o, p, false)
			if err != nil {
				t.Fatal(err)
			}
			gridBytes := 0
			spec.Hook = func(i, _ int) ([]byte, error) {
				rects, err := p.BarcodeRects(sheets[i].Barcode)
				if err != nil {
					return nil, err
				}
				b, _ := (&drawer{p: p}).appendBarcode(nil, sheets[i].Barcode)
				if !bytes.HasPrefix(b, []byte("q ")) {
					t.Fatalf("page %d: the symbol is not drawn on its grid:\n%s", i+1, b)
				}
				gridBytes += len(b)
				return appendRects(nil, rects), nil
			}
			if err := r.doc.WriteOutputs([]pdf.OutputSpec{spec}); err != nil {
				t.Fatal(err)
			}
			_, zone, err := p.BarcodeBox(sheets[0].Barcode)
			if err != nil {
				t.Fatal(err)
			}
			for _, dpi := range []float64{150, 300, 600} {
				a, b := render(t, grid, p, zone, dpi), render(t, points, p, zone, dpi)
				for i := range a {
					if !bytes.Equal(a[i].Gray.Pix, b[i].Gray.Pix) {
						t.Errorf("%v dpi, page %d: the symbol's pixels differ", dpi, i+1)
					}
				}
			}
			t.Logf("%s: %d bytes of content on %d pages", p.Barcode.Symbology, gridBytes, len(sheets))
		})
	}
}
