package afp

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fopLetter is one letter of the XSL-FO run and what its piece must show.
type fopLetter struct {
	account, name, postcode string
	encoding                string // the TLE's code page attribute, "" for FOP's default
	mediumMap               string // invoked in the page sequence, "" for none
	pages                   int
}

// fopLetters makes n letters whose names need code pages 1146 (FOP's
// default), 273 and 1141, and whose maps and page counts vary.
func fopLetters(n int) []fopLetter {
	names := []string{"Jürgen Müller", "Anna Schmidt", "Björn [Admin] Groß!", "Özlem Öztürk", "Renée Dupont"}
	maps := []string{"DUPNOR", "NUP2", "", "NOPAR", "DUPNOR", ""}
	letters := make([]fopLetter, n)
	for i := range letters {
		l := fopLetter{
			account:   fmt.Sprintf("ACC%05d", i+1),
			name:      names[i%len(names)],
			postcode:  fmt.Sprintf("%05d", (i*7919)%100000),
			mediumMap: maps[i%len(maps)],
			pages:     1 + i%4,
		}
		switch i % 10 {
		case 3:
			l.name, l.encoding = "Weiß Straße", "273"
		case 7:
			l.name, l.encoding = "Kosten 5 €", "1141"
		}
		letters[i] = l
	}
	return letters
}

// writeFO writes the letters as XSL-FO with Apache FOP's AFP extensions:
// the F1SAMPLE form map, a medium map per page sequence, TLEs.
func writeFO(t *testing.T, path, formMap string, letters []fopLetter) {
	t.Helper()
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format" xmlns:afp="http://xmlgraphics.apache.org/fop/extensions/afp">
<fo:layout-master-set><fo:simple-page-master master-name="A4" page-height="29.7cm" page-width="21cm" margin="2cm"><fo:region-body/></fo:simple-page-master></fo:layout-master-set>
`)
	fmt.Fprintf(&b, "<fo:declarations><afp:include-form-map name=\"F1SAMPLE\" src=\"file://%s\"/></fo:declarations>\n", esc(formMap))
	for _, l := range letters {
		b.WriteString(`<fo:page-sequence master-reference="A4">`)
		if l.mediumMap != "" {
			fmt.Fprintf(&b, `<afp:invoke-medium-map name="%s"/>`, l.mediumMap)
		}
		enc := ""
		if l.encoding != "" {
			enc = fmt.Sprintf(` encoding="%s"`, l.encoding)
		}
		fmt.Fprintf(&b, `<afp:tag-logical-element name="ACCOUNT" value="%s"/>`, l.account)
		fmt.Fprintf(&b, `<afp:tag-logical-element name="NAME" value="%s"%s/>`, esc(l.name), enc)
		fmt.Fprintf(&b, `<afp:tag-logical-element name="POSTCODE" value="%s"/>`, l.postcode)
		b.WriteString(`<fo:flow flow-name="xsl-region-body">`)
		for p := 1; p <= l.pages; p++ {
			brk := ""
			if p > 1 {
				brk = ` break-before="page"`
			}
			fmt.Fprintf(&b, `<fo:block%s>Dear %s, page %d.</fo:block>`, brk, esc(l.name), p)
		}
		b.WriteString("</fo:flow></fo:page-sequence>\n")
	}
	b.WriteString("</fo:root>\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runFOP composes the XSL-FO file into AFP with Apache FOP.
func runFOP(t *testing.T, fo, afp string) {
	t.Helper()
	if _, err := exec.LookPath("fop"); err != nil {
		t.Fatalf("Apache FOP not found (install the Debian package fop): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "fop", "-q", "-fo", fo, "-afp", afp).CombinedOutput()
	if err != nil {
		t.Fatalf("fop: %v\n%s", err, out)
	}
}

// TestFOPComposedRun indexes a mail run composed by Apache FOP: every
// letter is a piece with its TLE values, pages and sheets, and survives
// being sorted into a new output.
func TestFOPComposedRun(t *testing.T) {
	formMap, err := filepath.Abs(filepath.Join(samplesDir, "fop_F1SAMPLE.afp"))
	if err != nil {
		t.Fatal(err)
	}
	readSample(t, "fop_F1SAMPLE.afp")
	dir := t.TempDir()
	letters := fopLetters(300)
	fo, afp := filepath.Join(dir, "run.fo"), filepath.Join(dir, "run.afp")
	writeFO(t, fo, formMap, letters)
	runFOP(t, fo, afp)
	in, err := os.ReadFile(afp)
	if err != nil {
		t.Fatal(err)
	}
	opt := IndexOptions{CodePage: 1146} // Apache FOP writes TLEs in code page 1146 unless told otherwise
	idx := mustIndex(t, in, opt)
	if len(idx.Pieces) != len(letters) || idx.FormMapSource != "inline" || idx.FormMap.Name != "F1SAMPLE" {
		t.Fatalf("%d pieces, form map %v (%s); want %d pieces and F1SAMPLE inline", len(idx.Pieces), idx.FormMap, idx.FormMapSource, len(letters))
	}
	perSheet := map[string]int{"DUPNOR": 2, "NUP2": 2, "NOPAR": 1}
	active, sheets := "NOPAR", 0
	for i, l := range letters {
		p := idx.Pieces[i]
		if l.mediumMap != "" {
			active = l.mediumMap
		}
		want := (l.pages + perSheet[active] - 1) / perSheet[active]
		sheets += want
		got := fmt.Sprint(p.Meta())
		wantMeta := fmt.Sprint(map[string]string{"ACCOUNT": l.account, "NAME": l.name, "POSTCODE": l.postcode})
		if got != wantMeta || int(p.Pages) != l.pages || int(p.Sheets) != want {
			t.Errorf("letter %d: %s, %d pages, %d sheets; want %s, %d, %d", i+1, got, p.Pages, p.Sheets, wantMeta, l.pages, want)
		}
	}
	if idx.Sheets != sheets {
		t.Errorf("%d sheets in all, want %d", idx.Sheets, sheets)
	}
	order := byPostcode(idx)
	var out bytes.Buffer
	if err := WriteOutput(&out, bytes.NewReader(in), idx, order, nil); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, in, idx, order, out.Bytes(), opt)
}
