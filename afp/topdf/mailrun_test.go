package topdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFOPMailRun transforms single pieces of a mail run Apache FOP
// composed with a form map, medium maps and TLEs: each piece's PDF holds
// its own pages and words, and its page group's name and TLEs as its
// bookmark and metadata.
func TestFOPMailRun(t *testing.T) {
	needTool(t, "fop", "fop")
	needTool(t, "pdftotext", "poppler-utils")
	formMap, err := filepath.Abs(filepath.Join(samplesDir, "fop_F1SAMPLE.afp"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format" xmlns:afp="http://xmlgraphics.apache.org/fop/extensions/afp">
<fo:layout-master-set><fo:simple-page-master master-name="A4" page-height="29.7cm" page-width="21cm" margin="2cm"><fo:region-body/></fo:simple-page-master></fo:layout-master-set>
<fo:declarations><afp:include-form-map name="F1SAMPLE" src="file://%s"/></fo:declarations>
`, formMap)
	maps := []string{"DUPNOR", "NUP2", "NOPAR"}
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, `<fo:page-sequence master-reference="A4"><afp:invoke-medium-map name="%s"/>`, maps[i%3])
		fmt.Fprintf(&b, `<afp:tag-logical-element name="ACCOUNT" value="ACC%05d"/><fo:flow flow-name="xsl-region-body">`, i)
		for p := 1; p <= i%3+1; p++ {
			brk := ""
			if p > 1 {
				brk = ` break-before="page"`
			}
			fmt.Fprintf(&b, `<fo:block%s>Letter%d page%d of account ACC%05d.</fo:block>`, brk, i, p, i)
		}
		b.WriteString("</fo:flow></fo:page-sequence>\n")
	}
	b.WriteString("</fo:root>\n")
	fo, afpPath := filepath.Join(dir, "run.fo"), filepath.Join(dir, "run.afp")
	if err := os.WriteFile(fo, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, "fop", "-q", "-fo", fo, "-afp", afpPath)
	in, err := os.ReadFile(afpPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, piece := range []int{1, 4, 6} {
		pdf := filepath.Join(dir, fmt.Sprintf("piece%d.pdf", piece))
		f, err := os.Create(pdf)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Transform(bytes.NewReader(in), f, Options{Piece: piece})
		f.Close()
		if err != nil {
			t.Fatalf("piece %d: %v", piece, err)
		}
		for _, w := range res.Warnings {
			t.Errorf("piece %d: warning: %s", piece, w)
		}
		if want := piece%3 + 1; res.Pages != want {
			t.Errorf("piece %d: %d pages, want %d", piece, res.Pages, want)
		}
		text := string(run(t, "pdftotext", pdf, "-"))
		for p := 1; p <= piece%3+1; p++ {
			if want := fmt.Sprintf("Letter%d page%d of account ACC%05d.", piece, p, piece); !strings.Contains(text, want) {
				t.Errorf("piece %d lacks %q in:\n%s", piece, want, text)
			}
		}
		if strings.Contains(text, fmt.Sprintf("Letter%d ", piece+1)) {
			t.Errorf("piece %d holds the next piece's text", piece)
		}
		raw, _ := os.ReadFile(pdf)
		if !bytes.Contains(raw, []byte("/ACCOUNT "+pdfText(fmt.Sprintf("ACC%05d", piece)))) {
			t.Errorf("piece %d: its TLE is not the PDF's metadata", piece)
		}
	}
}
