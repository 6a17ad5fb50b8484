package topdf

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/afp"
)

// textObject is a text object showing s (code page 500) at x, y (units
// of 1440 per inch) in font 1.
func textObject(t testing.TB, x, y int, s string) []*afp.Field {
	b, err := afp.EncodeText(s, 500)
	if err != nil {
		t.Fatal(err)
	}
	ptx := []byte{0x2B, 0xD3, 0x03, 0xF1, 0x01, 0x04, 0xD3, byte(y >> 8), byte(y), 0x04, 0xC7, byte(x >> 8), byte(x), byte(len(b) + 2), 0xDB}
	ptx = append(append(ptx, b...), 0x02, 0xF8)
	return []*afp.Field{fld(idBPT), fld(idPTX, ptx), fld(idEPT)}
}

// TestOverlaysAndSegments places an overlay from the resource group, an
// overlay and a page segment from the resource directory, each at its
// include position, and reports the one that is nowhere.
func TestOverlaysAndSegments(t *testing.T) {
	needTool(t, "pdftotext", "poppler-utils")
	pos := func(x, y int) []byte {
		return []byte{byte(x >> 16), byte(x >> 8), byte(x), byte(y >> 16), byte(y >> 8), byte(y)}
	}
	overlay := func(name, text string) []*afp.Field {
		out := []*afp.Field{fld(idBMO, ebcdicName(name)), fld(idBAG), fld(idMCF, mcf("C0H200A0", "T1V10500")), fld(idPGD, pgd(12240, 15840)), fld(idEAG)}
		out = append(out, textObject(t, 0, 200, text)...)
		return append(out, fld(idEMO, ebcdicName(name)))
	}
	dir := t.TempDir()
	var libOverlay, libSegment bytes.Buffer
	libOverlay.Write(buildAFP(t, overlay("O1DIR", "Directoryoverlay")...))
	seg := append([]*afp.Field{fld(idBPS, ebcdicName("S1DIR"))}, textObject(t, 0, 200, "Segmenttext")...)
	libSegment.Write(buildAFP(t, append(seg, fld(idEPS, ebcdicName("S1DIR")))...))
	if err := os.WriteFile(filepath.Join(dir, "O1DIR"), libOverlay.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "s1dir.psg"), libSegment.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	fields := append([]*afp.Field{fld(afp.IDBRG)}, overlay("O1GROUP", "Groupoverlay")...)
	fields = append(fields, overlay("O1TURN", "Turnedoverlay")...)
	fields = append(fields, fld(afp.IDERG))
	fields = append(fields, page(
		fld(idIPO, ebcdicName("O1GROUP"), pos(1440, 1440), []byte{0, 0}),
		fld(idIPO, ebcdicName("O1DIR"), pos(1440, 2880), []byte{0, 0}),
		fld(idIPS, ebcdicName("S1DIR"), pos(4320, 4320)),
		fld(idIPO, ebcdicName("O1NONE"), pos(0, 0), []byte{0, 0}),
		fld(idIPO, ebcdicName("O1TURN"), pos(5760, 1440), []byte{0x2D, 0}), // turned 90° at 4 in, 1 in
	)...)
	in := buildAFP(t, fields...)
	pdf := filepath.Join(t.TempDir(), "out.pdf")
	res := transformFile(t, in, pdf, Options{ResourceDir: dir})
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || w.Field == "IPO" && strings.Contains(w.Message, "O1NONE")
	}
	if !warned {
		t.Errorf("no warning for the missing overlay among %v", res.Warnings)
	}
	got := map[string]word{}
	for _, w := range words(t, pdf) {
		got[w.text] = w
	}
	// the turned overlay runs down the page from 4 in, 1 in; its baseline
	// 10 pt left of that
	if w, ok := got["Turnedoverlay"]; !ok || w.yMax-w.yMin < 3*(w.xMax-w.xMin) || math.Abs(w.yMin-72) > 1.5 || w.xMin > 288-10 || w.xMax < 288-10 {
		t.Errorf("turned overlay's text at %+v, want it running down from 288,72 about x 278", w)
	}
	// baseline 200 units (10 pt) below each include's origin, at 1 inch = 72 pt steps
	for text, want := range map[string][2]float64{"Groupoverlay": {72, 82}, "Directoryoverlay": {72, 154}, "Segmenttext": {216, 226}} {
		w, ok := got[text]
		if !ok {
			t.Errorf("%q not on the page; words %v", text, got)
			continue
		}
		// the baseline lies between the box's top and bottom
		if math.Abs(w.xMin-want[0]) > 1.5 || w.yMin > want[1] || w.yMax < want[1] {
			t.Errorf("%q at %.2f,%.2f–%.2f, want x %.0f and the baseline at %.0f", text, w.xMin, w.yMin, w.yMax, want[0], want[1])
		}
	}
}

// TestJPEGContainer draws a JPEG carried in an object container and
// included by an IOB in the IOB's area, and reports a TIFF one.
func TestJPEGContainer(t *testing.T) {
	needTool(t, "pdfimages", "poppler-utils")
	dir := t.TempDir()
	writeTestImages(t, dir)
	jpg, err := os.ReadFile(filepath.Join(dir, "rgb.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	container := func(name string, data []byte) []*afp.Field {
		return []*afp.Field{fld(afp.IDBRS, ebcdicName(name), []byte{0, 0}), fld(idBOC, ebcdicName(name)), fld(idOCD, data), fld(0xD3A992, ebcdicName(name)), fld(afp.IDERS, ebcdicName(name))}
	}
	iob := func(name string) *afp.Field {
		d := append(ebcdicName(name), 0, 0x92, 0, 0x05, 0xA0, 0, 0x0B, 0x40, 0, 0, 0x2D, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
		d = append(d, 0x09, 0x4C, 0x02, 0, 0x0B, 0x40, 0, 0x05, 0xA0)             // area 2×1 inches (1440 units an inch)
		d = append(d, 0x08, 0x4B, 0, 0, 0x38, 0x40, 0x38, 0x40, 0x03, 0x04, 0x60) // units; scale to fill
		return fld(idIOB, d)
	}
	fields := append([]*afp.Field{fld(afp.IDBRG)}, container("JPG1", jpg)...)
	fields = append(fields, container("TIF1", []byte("II*\x00rest of a tiff"))...)
	fields = append(fields, fld(afp.IDERG))
	fields = append(fields, page(iob("JPG1"), iob("TIF1"))...)
	pdf := filepath.Join(t.TempDir(), "c.pdf")
	res := transformFile(t, buildAFP(t, fields...), pdf, Options{})
	var tiff bool
	for _, w := range res.Warnings {
		tiff = tiff || strings.Contains(w.Message, "TIFF")
	}
	if !tiff {
		t.Errorf("no warning for the TIFF container among %v", res.Warnings)
	}
	list := string(run(t, "pdfimages", "-list", pdf))
	if !strings.Contains(list, "jpeg") || !strings.Contains(list, "120    60  rgb") {
		t.Errorf("the JPEG is not in the PDF as itself:\n%s", list)
	}
}
