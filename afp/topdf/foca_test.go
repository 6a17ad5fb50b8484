package topdf

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/afp"
)

// TestFontWidthTable: a font character set and code page carried in the
// file place the text by the IBM font's character increments, drawn in
// the stand-in font.
func TestFontWidthTable(t *testing.T) {
	needTool(t, "pdftotext", "poppler-utils")
	gcgidA := []byte("LA020000") // 'A'
	// FNC: relative metrics, 1000 units per em, FNI groups of 10 bytes
	fnc := []byte{0x01, 0x1F, 0, 0, 0x02, 0x02, 0x03, 0xE8, 0x03, 0xE8, 0, 0, 0, 0, 0x1A, 0x0A, 0, 0, 0, 0, 0x16, 0}
	fni := append(append([]byte{}, gcgidA...), 0x07, 0xD0) // 'A' is 2,000 units: two ems
	cpc := append(append([]byte{}, []byte("SP010000")...), 0x00, 0x0A)
	cpi := append(append([]byte{}, gcgidA...), 0x00, 0xC1) // code point C1 is 'A'
	fields := []*afp.Field{fld(afp.IDBRG),
		fld(idBFN, ebcdicName("C0WIDE10")), fld(idFNC, fnc), fld(idFNI, fni), fld(idEFN, ebcdicName("C0WIDE10")),
		fld(idBCP, ebcdicName("T1WIDE00")), fld(idCPC, cpc), fld(idCPI, cpi), fld(idECP, ebcdicName("T1WIDE00")),
		fld(afp.IDERG)}
	b, _ := afp.EncodeText("AAAA", 500)
	ptx := []byte{0x2B, 0xD3, 0x03, 0xF1, 0x01, 0x04, 0xD3, 0x05, 0xA0, 0x04, 0xC7, 0x05, 0xA0, byte(len(b) + 2), 0xDB}
	ptx = append(append(ptx, b...), 0x02, 0xF8)
	pg := page(fld(idBPT), fld(idPTX, ptx), fld(idEPT))
	pg[3] = fld(idMCF, mcf("C0WIDE10", "T1WIDE00"))
	fields = append(fields, pg...)
	pdf := filepath.Join(t.TempDir(), "w.pdf")
	res := transformFile(t, buildAFP(t, fields...), pdf, Options{FontTable: "font C0WIDE* LiberationSans-Regular.ttf 718 -207\nsize 10 10\n"})
	for _, w := range res.Warnings {
		t.Logf("warning: %s", w)
	}
	// at 10 points each A advances 20 pt (two ems), not the stand-in's 6.67
	ws := words(t, pdf)
	if len(ws) != 4 {
		t.Fatalf("words %v, want four As apart", ws)
	}
	for i, w := range ws {
		if want := 72 + 20*float64(i); w.text != "A" || math.Abs(w.xMin-want) > 0.5 {
			t.Errorf("word %d: %q at %.2f, want A at %.2f (the width table's increments)", i, w.text, w.xMin, want)
		}
	}
}
