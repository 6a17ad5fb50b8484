package topdf

import (
	"bytes"
	"math"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/afp"
)

// rasterFontFields is a page in a raster font carried in the resource
// group: three Hs, each a black 24-pel square.
func rasterFontFields() []*afp.Field {
	gcgid := []byte("LH020000") // 'H'
	// FNC: bitmap patterns, fixed metrics of 2,400 units per ten inches
	// (240 pels an inch), FNI groups of 28 bytes, FNM groups of 8
	fnc := []byte{0x01, 0x05, 0, 0, 0x00, 0x00, 0x09, 0x60, 0x09, 0x60, 0, 24, 0, 24, 0x1A, 28, 0, 0, 0, 0, 0x16, 8}
	fni := append(append([]byte{}, gcgid...),
		0, 30, // increment: 30 pels = 9 pt
		0, 24, 0, 0, 0, 0, // ascender, descender, reserved
		0, 0, // pattern map entry 0
		0, 3, 0, 24, 0, 3, 0, 0, // A, B, C space, reserved
		0, 24) // baseline offset: the box's top 24 pels above the baseline
	fnm := []byte{0, 23, 0, 23, 0, 0, 0, 0} // a 24×24 box at pattern offset 0
	fng := bytes.Repeat([]byte{0xFF, 0xFF, 0xFF}, 24)
	cpc := append([]byte("SP010000"), 0x00, 0x0A)
	cpi := append(append([]byte{}, gcgid...), 0x00, 0xC8) // code point C8 is 'H'
	fields := []*afp.Field{fld(afp.IDBRG),
		fld(idBFN, ebcdicName("C0RAST10")), fld(idFNC, fnc), fld(idFNI, fni), fld(idFNM, fnm), fld(idFNG, fng), fld(idEFN, ebcdicName("C0RAST10")),
		fld(idBCP, ebcdicName("T1RAST00")), fld(idCPC, cpc), fld(idCPI, cpi), fld(idECP, ebcdicName("T1RAST00")),
		fld(afp.IDERG)}
	ptx := []byte{0x2B, 0xD3, 0x03, 0xF1, 0x01, 0x04, 0xD3, 0x05, 0xA0, 0x04, 0xC7, 0x05, 0xA0, 0x05, 0xDB, 0xC8, 0xC8, 0xC8, 0x02, 0xF8}
	pg := page(fld(idBPT), fld(idPTX, ptx), fld(idEPT))
	pg[3] = fld(idMCF, mcf("C0RAST10", "T1RAST00"))
	return append(fields, pg...)
}

// TestRasterFont draws a raster font carried in the file as a Type 3
// font: its bitmaps at the increments of its width table, its text
// extractable.
func TestRasterFont(t *testing.T) {
	needTool(t, "pdftoppm", "poppler-utils")
	fields := rasterFontFields()
	dir := t.TempDir()
	pdf := filepath.Join(dir, "r.pdf")
	res := transformFile(t, buildAFP(t, fields...), pdf, Options{FontTable: "font * LiberationSans-Regular.ttf 718 -207\nsize 10 10\n"})
	for _, w := range res.Warnings {
		t.Logf("warning: %s", w)
	}
	if fonts := string(run(t, "pdffonts", pdf)); !bytes.Contains([]byte(fonts), []byte("Type 3")) {
		t.Errorf("no Type 3 font in the PDF:\n%s", fonts)
	}
	if text := string(bytes.TrimSpace(run(t, "pdftotext", pdf, "-"))); text != "HHH" {
		t.Errorf("text %q, want HHH", text)
	}
	// the boxes: 24 pels (7.2 pt) square, 9 pt apart, from x 72 + 0.9 pt
	// (A space), tops 7.2 pt above the baseline at y 72 pt
	run(t, "pdftoppm", "-r", "240", "-gray", "-x", "200", "-y", "200", "-W", "200", "-H", "100", pdf, filepath.Join(dir, "r"))
	crops, _ := filepath.Glob(filepath.Join(dir, "r*.pgm"))
	if len(crops) != 1 {
		t.Fatalf("%d crops", len(crops))
	}
	img := readPGM(t, crops[0])
	dark := func(xPt, yPt float64) bool {
		x, y := int(math.Round(xPt/72*240))-200, int(math.Round(yPt/72*240))-200
		return img.pix[y*img.w+x] < 128
	}
	for i := 0; i < 3; i++ {
		x := 72 + 0.9 + 9*float64(i)
		if !dark(x+3.6, 72-3.6) {
			t.Errorf("character %d: its box's middle is not black", i+1)
		}
		if dark(x+7.2+0.6, 72-3.6) || dark(x+3.6, 72+1) || dark(x+3.6, 72-7.2-1) {
			t.Errorf("character %d: black outside its box", i+1)
		}
	}
}
