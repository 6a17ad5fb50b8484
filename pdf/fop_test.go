package pdf

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
)

// fopRun has Apache FOP render a run of letters of the given page counts,
// each page with the same logo image and the text "letter i page j", with
// one bookmark per letter. It returns the PDF's path and the page texts.
func fopRun(t *testing.T, letters []int) (string, []string) {
	t.Helper()
	bin := pdftest.NeedTool(t, "fop", "fop")
	dir := t.TempDir()
	logo := image.NewGray(image.Rect(0, 0, 64, 32))
	for i := range logo.Pix {
		logo.Pix[i] = uint8(i * 7)
	}
	f, err := os.Create(filepath.Join(dir, "logo.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, logo); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var fo strings.Builder
	var texts []string
	fo.WriteString(`<?xml version="1.0"?><fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format"><fo:layout-master-set>` +
		`<fo:simple-page-master master-name="A4" page-width="210mm" page-height="297mm" margin="20mm">` +
		`<fo:region-body/></fo:simple-page-master></fo:layout-master-set><fo:bookmark-tree>`)
	for i := range letters {
		fmt.Fprintf(&fo, `<fo:bookmark internal-destination="L%d"><fo:bookmark-title>Letter %d</fo:bookmark-title></fo:bookmark>`, i+1, i+1)
	}
	fo.WriteString(`</fo:bookmark-tree>`)
	for i, n := range letters {
		fo.WriteString(`<fo:page-sequence master-reference="A4"><fo:flow flow-name="xsl-region-body">`)
		for j := range n {
			attrs := fmt.Sprintf(` id="L%d"`, i+1)
			if j > 0 {
				attrs = ` break-before="page"`
			}
			text := fmt.Sprintf("letter %d page %d", i+1, j+1)
			texts = append(texts, text)
			fmt.Fprintf(&fo, `<fo:block%s><fo:external-graphic src="logo.png"/></fo:block>`+
				`<fo:block font-family="Helvetica" font-size="20pt">%s</fo:block>`, attrs, text)
		}
		fo.WriteString(`</fo:flow></fo:page-sequence>`)
	}
	fo.WriteString(`</fo:root>`)
	src, out := filepath.Join(dir, "run.fo"), filepath.Join(dir, "run.pdf")
	if err := os.WriteFile(src, []byte(fo.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-fo", src, "-pdf", out)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fop: %v\n%s", err, msg)
	}
	return out, texts
}

func TestFOPRun(t *testing.T) {
	letters := make([]int, 40)
	for i := range letters {
		letters[i] = 1 + i%3
	}
	in, texts := fopRun(t, letters)
	d, err := Open(in)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := d.Outline()
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := mailpiece.FromOutline(entries, d.PageCount(), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) != len(letters) {
		t.Fatalf("%d pieces, want %d", len(pieces), len(letters))
	}
	for i, p := range pieces {
		if p.Pages != letters[i] || p.Meta.Get("title") != fmt.Sprintf("Letter %d", i+1) {
			t.Errorf("piece %d: %+v, want %d pages titled Letter %d", i+1, p, letters[i], i+1)
		}
	}
	dir := t.TempDir()
	specs := []OutputSpec{{Path: filepath.Join(dir, "odd.pdf")}, {Path: filepath.Join(dir, "even.pdf")}}
	for i := len(pieces) - 1; i >= 0; i-- { // last letter first
		s := &specs[i%2]
		for p := pieces[i].FirstPage; p <= pieces[i].LastPage(); p++ {
			s.Pages = append(s.Pages, p)
		}
	}
	if err := d.WriteOutputs(specs); err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		checkOutput(t, s.Path, texts, s.Pages)
		objs := qpdfObjects(t, s.Path)
		if n := countObjects(objs, "/Subtype", "/Image"); n != 1 {
			t.Errorf("%s holds %d images, want the logo once", filepath.Base(s.Path), n)
		}
	}
}
