package topdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTestImages writes a grey PNG, a colour JPEG and a bilevel PNG.
func writeTestImages(t *testing.T, dir string) {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 120, 60))
	c := image.NewRGBA(image.Rect(0, 0, 120, 60))
	bw := image.NewGray(image.Rect(0, 0, 96, 48))
	for y := 0; y < 60; y++ {
		for x := 0; x < 120; x++ {
			g.SetGray(x, y, color.Gray{uint8(x * 2)})
			c.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 4), 128, 255})
		}
	}
	for y := 0; y < 48; y++ {
		for x := 0; x < 96; x++ {
			v := uint8(255)
			if (x/8+y/8)%2 == 0 {
				v = 0
			}
			bw.SetGray(x, y, color.Gray{v})
		}
	}
	for name, enc := range map[string]func(f *os.File) error{
		"grey.png": func(f *os.File) error { return png.Encode(f, g) },
		"rgb.jpg":  func(f *os.File) error { return jpeg.Encode(f, c, &jpeg.Options{Quality: 90}) },
		"bw.png":   func(f *os.File) error { return png.Encode(f, bw) },
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := enc(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

// testFO is a letter run in XSL-FO: text in several fonts, sizes, styles
// and colours, rotated text, rules, a table, images, several page
// sequences (page groups in FOP's AFP).
func testFO(dir string, letters int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format">
<fo:layout-master-set>
<fo:simple-page-master master-name="A4" page-height="29.7cm" page-width="21cm" margin="2cm"><fo:region-body/></fo:simple-page-master>
<fo:simple-page-master master-name="Letter" page-height="11in" page-width="8.5in" margin="1in"><fo:region-body/></fo:simple-page-master>
</fo:layout-master-set>
`)
	names := []string{"Jürgen Müller", "Anna Schmidt", "Renée Dupont"}
	for i, name := range names[:letters] {
		master := "A4"
		if i == 2 {
			master = "Letter"
		}
		fmt.Fprintf(&b, `<fo:page-sequence master-reference="%s"><fo:flow flow-name="xsl-region-body">
<fo:block font-family="Helvetica" font-size="20pt" font-weight="bold" color="#003399">Statement %d</fo:block>
<fo:block font-family="Helvetica" font-size="12pt">Dear %s, thank you for your order of 12 items (total: 345.67).</fo:block>
<fo:block font-family="Times" font-size="14pt">Times roman text: quick brown fox jumps over the lazy dog.</fo:block>
<fo:block font-family="Times" font-size="10pt" font-style="italic">Times italic, ten points.</fo:block>
<fo:block font-family="Helvetica" font-size="8pt" font-style="italic">Small print in Helvetica italic at eight points.</fo:block>
<fo:block font-family="Courier" font-size="10pt" color="#cc0000">Courier red: ACC-%05d</fo:block>
<fo:block font-family="Helvetica" font-size="12pt" border-bottom="1pt solid black" space-after="6pt">Rule below this line</fo:block>
<fo:block><fo:inline text-decoration="underline">Underlined words</fo:inline> then a leader <fo:leader leader-pattern="rule" leader-length="4cm"/></fo:block>
<fo:table border="0.5pt solid black" width="12cm" table-layout="fixed" space-before="6pt">
<fo:table-column column-width="6cm"/><fo:table-column column-width="6cm"/>
<fo:table-body>
<fo:table-row><fo:table-cell border="0.5pt solid black" padding="2pt"><fo:block>Item</fo:block></fo:table-cell><fo:table-cell border="0.5pt solid black" padding="2pt"><fo:block>Amount</fo:block></fo:table-cell></fo:table-row>
<fo:table-row><fo:table-cell border="0.5pt solid black" padding="2pt"><fo:block>Widgets</fo:block></fo:table-cell><fo:table-cell border="0.5pt solid black" padding="2pt"><fo:block text-align="end">123.45</fo:block></fo:table-cell></fo:table-row>
</fo:table-body></fo:table>
<fo:block space-before="6pt">Grey image: <fo:external-graphic src="file://%s/grey.png"/></fo:block>
<fo:block>Colour JPEG: <fo:external-graphic src="file://%s/rgb.jpg"/></fo:block>
<fo:block>Bilevel: <fo:external-graphic src="file://%s/bw.png"/></fo:block>
<fo:block>Chart: <fo:instream-foreign-object><svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt" viewBox="0 0 200 100">
<rect x="10" y="10" width="80" height="50" fill="#3366cc" stroke="black" stroke-width="2"/>
<line x1="100" y1="10" x2="190" y2="90" stroke="red" stroke-width="3"/>
<circle cx="150" cy="40" r="20" fill="none" stroke="green" stroke-width="2"/>
<path d="M 10 90 C 40 70, 60 70, 90 90" fill="none" stroke="#cc6600" stroke-width="1.5"/>
</svg></fo:instream-foreign-object></fo:block>
<fo:block-container reference-orientation="90" width="4cm" height="5cm"><fo:block font-size="12pt">Rotated text here</fo:block><fo:block><fo:external-graphic src="file://%[7]s/grey.png"/></fo:block></fo:block-container>
<fo:block-container reference-orientation="270" width="4cm" height="5cm"><fo:block font-size="10pt">Turned the other way</fo:block></fo:block-container>
<fo:block break-before="page" font-family="Helvetica" font-size="12pt">Second page of letter %d.</fo:block>
</fo:flow></fo:page-sequence>
`, master, i+1, name, i+1, dir, dir, dir, i+1)
	}
	b.WriteString("</fo:root>\n")
	return b.String()
}

// fopColorConfig makes FOP write colour images and graphics in AFP.
const fopColorConfig = `<?xml version="1.0"?>
<fop version="1.0"><renderers><renderer mime="application/x-afp"><images mode="color"/></renderer></renderers></fop>
`

// TestFOPDocument transforms Apache FOP's AFP of a letter run and
// compares it with FOP's own PDF of the same document: every word with
// the same text and box within 1.5 pt, each page differing in under 1 %
// of its pixels at 150 dpi after a one-pixel tolerance.
func TestFOPDocument(t *testing.T) {
	needTool(t, "pdftoppm", "poppler-utils")
	dir := t.TempDir()
	writeTestImages(t, dir)
	fo := filepath.Join(dir, "doc.fo")
	if err := os.WriteFile(fo, []byte(testFO(dir, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "fop.xconf")
	// colour images and graphics in the AFP (FOP's default is grey)
	if err := os.WriteFile(conf, []byte(fopColorConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	c, res := compareWithFOP(t, dir, fo, conf, Options{})
	t.Logf("FOP comparison: %s", c)
	if res.Pages < 6 || len(res.Groups) != 3 || res.Groups[0] != "PGP00001" {
		t.Errorf("%d pages in groups %q, want 6 or more in FOP's 3 page groups", res.Pages, res.Groups)
	}
	for _, w := range res.Warnings {
		t.Logf("warning: %s", w)
	}
	if c.words < 100 {
		t.Errorf("only %d words in FOP's PDF: the document did not render", c.words)
	}
}

// TestFOPDocumentGrey is TestFOPDocument's first letter with FOP's
// default AFP settings: images in grey, one of them JPEG (IOCA DCT).
func TestFOPDocumentGrey(t *testing.T) {
	needTool(t, "pdftoppm", "poppler-utils")
	dir := t.TempDir()
	writeTestImages(t, dir)
	fo := filepath.Join(dir, "doc.fo")
	if err := os.WriteFile(fo, []byte(testFO(dir, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	c, res := compareWithFOP(t, dir, fo, "", Options{})
	t.Logf("FOP comparison (grey images): %s", c)
	for _, w := range res.Warnings {
		t.Logf("warning: %s", w)
	}
	in, err := os.ReadFile(filepath.Join(dir, "doc.afp"))
	if err != nil {
		t.Fatal(err)
	}
	// the IOCA image encoding parameter of a JPEG: 95 02 83
	if !bytes.Contains(in, []byte{0x95, 0x02, 0x83}) {
		t.Error("FOP wrote no JPEG image: the test does not cover DCT")
	}
}
