package topdf

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/afp"
)

// TestGOCARotatedArea fills a box in a graphics object whose area is
// turned 90°: it lands left of the area's origin, below it.
func TestGOCARotatedArea(t *testing.T) {
	needTool(t, "pdftoppm", "poppler-utils")
	units := []byte{0x08, 0x4B, 0, 0, 0x38, 0x40, 0x38, 0x40}                 // 1440 an inch
	size := []byte{0x09, 0x4C, 0x02, 0, 0x05, 0xA0, 0, 0x02, 0xD0}            // 1 × 0.5 inch
	obd := append(append([]byte{0x03, 0x43, 0x01}, units...), size...)        // descriptor position, units, size
	obp := []byte{0x01, 0x17, 0, 0x0B, 0x40, 0, 0x0B, 0x40, 0x2D, 0, 0x5A, 0, // at 2 in, 2 in; X at 90°, Y at 180°
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2D, 0, 0}
	gdd := []byte{0xF6, 0x12, 0, 0, 0, 0, 0x38, 0x40, 0x38, 0x40, 0, 0, 0, 0, 0x05, 0xA0, 0, 0, 0x02, 0xD0} // window 0–1440 × 0–720
	gad := []byte{0x70, 0x0C, 'S', 'E', 'G', '1', 0, 0, 0, 12, 0, 0, 0, 0,
		0x68, 0x00, // begin area
		0xC0, 0x0A, 0x00, 0x00, 0, 0, 0x02, 0xD0, 0x02, 0xD0, 0, 0, // box (0,720)–(720,0): the area's left half
		0x60, 0x00} // end area
	fields := []*afp.Field{fld(idBGR, ebcdicName("GR1")), fld(idBOG), fld(idOBD, obd), fld(idOBP, obp), fld(idGDD, gdd), fld(idEOG),
		fld(idGAD, gad), fld(idEGR, ebcdicName("GR1"))}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "g.pdf")
	res := transformFile(t, buildAFP(t, page(fields...)...), pdf, Options{})
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	run(t, "pdftoppm", "-r", "72", "-gray", pdf, filepath.Join(dir, "g"))
	pages, _ := filepath.Glob(filepath.Join(dir, "g*.pgm"))
	if len(pages) != 1 {
		t.Fatalf("%d pages rendered", len(pages))
	}
	img := readPGM(t, pages[0])
	at := func(x, y int) byte { return img.pix[y*img.w+x] }
	// the box: x 108–144, y 144–180 (points = pixels at 72 dpi)
	if at(126, 162) > 64 {
		t.Errorf("the box is not left of the area's origin: pixel %d", at(126, 162))
	}
	if at(162, 162) < 192 || at(126, 126) < 192 {
		t.Errorf("black where the box would be unrotated or above the area: %d, %d", at(162, 162), at(126, 126))
	}
}

// TestGOCAText draws a graphics character string in the page's font,
// as tall as its character cell, where its baseline starts.
func TestGOCAText(t *testing.T) {
	needTool(t, "pdftotext", "poppler-utils")
	text, _ := afp.EncodeText("Chartlabel", 500)
	obp := []byte{0x01, 0x17, 0, 0x05, 0xA0, 0, 0x05, 0xA0, 0, 0, 0x2D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2D, 0, 0} // at 1 in, 1 in
	gdd := []byte{0xF6, 0x12, 0, 0, 0, 0, 0x38, 0x40, 0x38, 0x40, 0, 0, 0, 0, 0x05, 0xA0, 0, 0, 0x05, 0xA0}
	gad := []byte{0x70, 0x0C, 'S', 'E', 'G', '1', 0, 0, 0, 0, 0, 0, 0, 0,
		0x38, 0x01, // character set: the page's font 1
		0x33, 0x04, 0x00, 0xC8, 0x00, 0xC8, // cell 200 × 200 units: 10 pt
		0xC3, byte(4 + len(text)), 0x00, 0x48, 0x04, 0xB0} // at (72, 1200): 0.05 in right, 0.1667 in down
	gad = append(gad, text...)
	fields := []*afp.Field{fld(idBGR, ebcdicName("GR1")), fld(idBOG), fld(idOBP, obp), fld(idGDD, gdd), fld(idEOG),
		fld(idGAD, gad), fld(idEGR, ebcdicName("GR1"))}
	pdf := filepath.Join(t.TempDir(), "t.pdf")
	res := transformFile(t, buildAFP(t, page(fields...)...), pdf, Options{})
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	ws := words(t, pdf)
	if len(ws) != 1 || ws[0].text != "Chartlabel" {
		t.Fatalf("words %v, want Chartlabel", ws)
	}
	// baseline at 72 + 12 = 84 pt, from x 72 + 3.6; 10 pt Helvetica
	w := ws[0]
	if math.Abs(w.xMin-75.6) > 1 || w.yMin > 84 || w.yMax < 84 || math.Abs((w.yMax-w.yMin)-9.25) > 1 {
		t.Errorf("Chartlabel at %+v, want from x 75.6 about the baseline y 84, 10 pt high", w)
	}
}
