package topdf

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// addSamples adds the public AFP samples as seeds.
func addSamples(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(samplesDir, "*.afp"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
}

// FuzzTransform transforms any input: an error or a PDF, never a panic.
func FuzzTransform(f *testing.F) {
	addSamples(f)
	f.Add(buildAFP(f, page(fld(idBPT), fld(idPTX, []byte{0x2B, 0xD3, 0x03, 0xF1, 0x01, 0x06, 0xF7, 0x2D, 0x00, 0x5A, 0x00, 0x05, 0xDB, 0xC8, 0x85, 0x93}), fld(idEPT))...))
	f.Add(buildAFP(f, rasterFontFields()...))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		res, err := Transform(bytes.NewReader(in), &out, Options{})
		if err == nil && (res.Pages == 0 || !bytes.HasPrefix(out.Bytes(), []byte("%PDF-"))) {
			t.Fatalf("no error, %d pages, output %.20q", res.Pages, out.Bytes())
		}
	})
}

// FuzzIOCA decodes any image segment and encodes what decodes.
func FuzzIOCA(f *testing.F) {
	f.Add([]byte{0x70, 0x00, 0x91, 0x01, 0xFF, 0x94, 0x09, 0x00, 0x09, 0x60, 0x09, 0x60, 0x00, 0x08, 0x00, 0x02,
		0x95, 0x02, 0x03, 0x01, 0x96, 0x01, 0x01, 0xFE, 0x92, 0x00, 0x02, 0xAA, 0x55, 0x93, 0x00, 0x71, 0x00})
	f.Add([]byte{0x70, 0x00, 0x8C, 0x00, 0xB5, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0xB6, 0x08, 0, 0, 0, 2, 0, 0, 0, 1,
		0x95, 0x02, 0x03, 0x01, 0x96, 0x01, 0x20, 0x9B, 0x02, 0x00, 0x04, 0xFE, 0x9C, 0x00, 0x05, 1, 0, 0, 9, 9, 0x8D, 0x00, 0x71, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		seg, err := parseIOCA(in)
		if err != nil {
			return
		}
		for _, im := range append([]ioImage{seg.main}, seg.tiles...) {
			img, err := im.toPDF()
			if err == nil && img.dict == "" {
				t.Fatal("an image without a dictionary")
			}
		}
	})
}

// FuzzPTOCA interprets any text data in a page.
func FuzzPTOCA(f *testing.F) {
	f.Add([]byte{0x2B, 0xD3, 0x04, 0xD3, 0x00, 0xDF, 0x04, 0xC7, 0x00, 0xBD, 0x03, 0xF1, 0x01, 0x04, 0xC5, 0x00, 0x0B,
		0x07, 0xDB, 0xC8, 0x85, 0x93, 0x93, 0x96, 0x07, 0xE5, 0x00, 0x44, 0x00, 0x03, 0x00, 0x0F, 0x81, 0x00, 0x01,
		0, 0, 0, 0, 8, 8, 8, 0, 0xFF, 0, 0, 0x02, 0xF8})
	f.Fuzz(func(t *testing.T, ptx []byte) {
		if len(ptx) > 32000 {
			return
		}
		in := buildAFP(t, page(fld(idBPT), fld(idPTX, ptx), fld(idEPT))...)
		if _, err := Transform(bytes.NewReader(in), io.Discard, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzTrueType parses any font file and subsets what parses.
func FuzzTrueType(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join(DefaultFontDir, "LiberationMono-Regular.ttf")); err == nil {
		f.Add(b[:min(len(b), 4096)])
	}
	f.Add([]byte("\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00head\x00\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x04"))
	f.Fuzz(func(t *testing.T, in []byte) {
		tt, err := parseTrueType(in)
		if err != nil {
			return
		}
		used := map[uint16]rune{}
		for r, g := range tt.cmap {
			used[g] = r
			if len(used) > 20 {
				break
			}
		}
		tt.subset(used)
	})
}
