package topdf

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/afp"
)

// barcodeFields is a BCOCA object as the repository's marks writer makes
// it: units of 1440 per inch, the symbol at x, y inches from the top left.
func barcodeFields(typ, mod byte, mils byte, heightIn float64, x, y float64, data []byte) []*afp.Field {
	bdd := []byte{0, 0, 0x38, 0x40, 0x38, 0x40, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, typ, mod, 0xFF, 0, 0, mils}
	h := 0xFFFF
	if heightIn > 0 {
		h = int(heightIn * 1440)
	}
	bdd = append(bdd, byte(h>>8), byte(h), 1, 0xFF, 0xFF)
	xu, yu := int(x*1440), int(y*1440)
	bda := append([]byte{0x80, byte(xu >> 8), byte(xu), byte(yu >> 8), byte(yu)}, data...)
	return []*afp.Field{fld(idBBC, ebcdicName("BC1")), fld(idBOG), fld(idBDD, bdd), fld(idEOG), fld(idBDA, bda), fld(idEBC, ebcdicName("BC1"))}
}

// TestBarcodes draws BCOCA bar codes and reads them back from the
// rendered page with zbarimg and dmtxread.
func TestBarcodes(t *testing.T) {
	needTool(t, "zbarimg", "zbar-tools")
	needTool(t, "dmtxread", "dmtx-utils")
	needTool(t, "pdftoppm", "poppler-utils")
	ebcdic := func(s string) []byte {
		b, err := afp.EncodeText(s, 500)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dm := append([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "PIECE 000123 OF 000500"...)
	var fields []*afp.Field
	fields = append(fields, barcodeFields(bcCode128, 0x02, 15, 0.6, 1, 1, ebcdic("ACC00042"))...)
	fields = append(fields, barcodeFields(bcCode39, 0x01, 15, 0.6, 1, 2.5, ebcdic("OMSD39"))...)
	fields = append(fields, barcodeFields(bcI2of5, 0x01, 15, 0.6, 1, 4, ebcdic("12345670"))...)
	fields = append(fields, barcodeFields(bcDataMatrix, 0, 30, 0, 5, 1, dm)...)
	// a Code 39 up the page's side: its area turned 270° from 7.5 in down
	side := barcodeFields(bcCode39, 0x01, 15, 0.5, 0, 0, ebcdic("SIDE7"))
	obp := []byte{0x01, 0x17, 0, 0x05, 0xA0, 0, 0x2A, 0x30, 0x87, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2D, 0, 0}
	side = append(side[:2], append([]*afp.Field{fld(idOBP, obp)}, side[2:]...)...)
	fields = append(fields, side...)
	in := buildAFP(t, page(fields...)...)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "bc.pdf")
	res := transformFile(t, in, pdf, Options{})
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	run(t, "pdftoppm", "-r", "300", "-gray", pdf, filepath.Join(dir, "bc"))
	pages, _ := filepath.Glob(filepath.Join(dir, "bc*.pgm"))
	if len(pages) != 1 {
		t.Fatalf("%d pages rendered", len(pages))
	}
	out, _ := exec.Command("zbarimg", "-q", "--xml", pages[0]).Output() // exit status 4 when one is not found
	got := string(out)
	// XML symbols: type='CODE-128' ... orientation='UP' ... <data><![CDATA[ACC00042]]></data>
	var read []string
	for _, sym := range strings.Split(got, "<symbol ")[1:] {
		typ := between(sym, "type='", "'")
		read = append(read, typ+":"+between(sym, "<![CDATA[", "]]>"))
		if typ == "CODE-39" && strings.Contains(sym, "SIDE7") && !strings.Contains(sym, "orientation='LEFT'") && !strings.Contains(sym, "orientation='RIGHT'") {
			t.Errorf("the side bar code is not turned: %s", sym)
		}
	}
	got = strings.Join(read, "\n")
	for _, want := range []string{"CODE-128:ACC00042", "CODE-39:OMSD39", "I2/5:12345670", "CODE-39:SIDE7"} {
		if !strings.Contains(got, want) {
			t.Errorf("zbarimg did not read %s; it read:\n%s", want, got)
		}
	}
	// dmtxread searches a whole page slowly: give it the symbol's corner
	run(t, "pdftoppm", "-r", "150", "-gray", "-x", "700", "-y", "100", "-W", "300", "-H", "300", pdf, filepath.Join(dir, "dm"))
	crops, _ := filepath.Glob(filepath.Join(dir, "dm*.pgm"))
	if len(crops) != 1 {
		t.Fatalf("%d crops rendered", len(crops))
	}
	dmOut := string(run(t, "dmtxread", "-n", crops[0]))
	if !strings.Contains(dmOut, "PIECE 000123 OF 000500") {
		t.Errorf("dmtxread read %q, want the Data Matrix's text", dmOut)
	}
}

// between is the text of s between the first start and the end after it.
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
