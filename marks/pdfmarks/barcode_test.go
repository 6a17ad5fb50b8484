package pdfmarks

import (
	"encoding/xml"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/marks"
)

// Resolutions barcodes are read at, for modules of 0.5 mm: Data Matrix
// decodes from 3 pixels a module (and from 2); 1D codes need 6 to decode
// reliably without anti-aliasing (Code 39 with its 2:1 wide bars fails at
// 3, vertical I2of5 at 4).
const (
	matrixDPI = 150
	linearDPI = 300
)

// marginOf widens a rectangle by m points on every side.
func marginOf(r marks.Rect, m float64) marks.Rect {
	return marks.Rect{X: r.X - m, Y: r.Y - m, W: r.W + 2*m, H: r.H + 2*m}
}

// barcodeCrop is the area around the symbol of the first sheet: every
// sheet's symbol has the same size, as the content has fixed widths.
func barcodeCrop(t *testing.T, p *marks.Profile, sheets []marks.SheetMarks) crop {
	t.Helper()
	_, zone, err := p.BarcodeBox(sheets[0].Barcode)
	if err != nil {
		t.Fatal(err)
	}
	dpi := float64(linearDPI)
	if p.Barcode.Symbology == marks.DataMatrix {
		dpi = matrixDPI
	}
	return crop{area: marginOf(zone, 4), dpi: dpi, pageH: p.Page().H}
}

// markedTexts lists the planned barcode text of every marked page of the
// output, and the pages' indexes.
func markedTexts(t *testing.T, r *mailRun, sheets []marks.SheetMarks) (texts []string, pages []int) {
	t.Helper()
	sides, err := layout(&Output{Pages: r.pages, Sheets: sheets}, r.duplex)
	if err != nil {
		t.Fatal(err)
	}
	for i, sd := range sides {
		if !sd.back {
			texts = append(texts, sheets[sd.sheet].Barcode)
			pages = append(pages, i)
		}
	}
	return texts, pages
}

// dmtxread decodes one Data Matrix from each file, in one run; a file
// without one yields "".
func dmtxread(t *testing.T, files []string) []string {
	t.Helper()
	bin := pdftest.NeedTool(t, "dmtxread", "dmtx-utils")
	out, err := exec.Command(bin, append([]string{"-n", "-N1"}, files...)...).Output()
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if err == nil && len(lines) == len(files) {
		return lines
	}
	texts := make([]string, len(files)) // some failed: find which
	for i, f := range files {
		b, _ := exec.Command(bin, "-n", "-N1", f).Output()
		texts[i] = strings.TrimSuffix(string(b), "\n")
	}
	return texts
}

func TestDataMatrixReadBack(t *testing.T) {
	for _, duplex := range []bool{false, true} {
		t.Run(fmt.Sprintf("duplex=%v", duplex), func(t *testing.T) {
			t.Parallel()
			p := loadProfile(t, "datamatrix-fbp")
			r := newMailRun(t, 50, duplex)
			path, sheets := r.write(t, p)
			files := renderCrops(t, path, barcodeCrop(t, p, sheets), "png")
			want, pages := markedTexts(t, r, sheets)
			marked := make([]string, len(pages))
			for i, pg := range pages {
				marked[i] = files[pg]
			}
			got := dmtxread(t, marked)
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("page %d: Data Matrix reads %q, want %q", pages[i]+1, got[i], want[i])
				}
			}
			checkFBPContent(t, r, want)
			if duplex {
				checkBacksBlank(t, files, pages)
			}
		})
	}
}

// checkFBPContent checks the planned content itself against the plan:
// job, piece ID, sheet n of m, feeders.
func checkFBPContent(t *testing.T, r *mailRun, texts []string) {
	t.Helper()
	k := 0
	for _, e := range r.envelopes {
		n := 0
		for _, pc := range e.Pieces {
			n += pc.Sheets
		}
		for j := range n {
			want := fmt.Sprintf("%010d%010d%03d%03d%s00", 4711, e.ID, j+1, n, wantFeeders(e, 6))
			if texts[k] != want {
				t.Errorf("envelope %d sheet %d: content %q, want %q", e.ID, j+1, texts[k], want)
			}
			k++
		}
	}
	if k != len(texts) {
		t.Errorf("%d marked pages, the plan has %d sheets", len(texts), k)
	}
}

// checkBacksBlank checks that the pages not listed are blank in the crop.
func checkBacksBlank(t *testing.T, files []string, marked []int) {
	t.Helper()
	isMarked := map[int]bool{}
	for _, pg := range marked {
		isMarked[pg] = true
	}
	for i, f := range files {
		if !isMarked[i] {
			if n := darkCount(readGray(t, f)); n != 0 {
				t.Errorf("page %d, a back: %d dark pixels where the barcode goes", i+1, n)
			}
		}
	}
}

// zbarXML is the part of zbarimg's XML output the tests read.
type zbarXML struct {
	Sources []struct {
		Href    string `xml:"href,attr"`
		Symbols []struct {
			Type string `xml:"type,attr"`
			Data string `xml:"data"`
		} `xml:"index>symbol"`
	} `xml:"source"`
}

// zbarimg decodes the 1D codes in the files, in one run: the text and
// type of the first symbol of each file.
func zbarimg(t *testing.T, files []string) (texts, types []string) {
	t.Helper()
	bin := pdftest.NeedTool(t, "zbarimg", "zbar-tools")
	out, _ := exec.Command(bin, append([]string{"--xml", "--nodbus", "-q"}, files...)...).Output() // exits 4 if some file has no code
	var doc zbarXML
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("zbarimg output: %v\n%s", err, out)
	}
	byFile := map[string]int{}
	for i, s := range doc.Sources {
		byFile[filepath.Base(s.Href)] = i
	}
	texts, types = make([]string, len(files)), make([]string, len(files))
	for i, f := range files {
		if j, ok := byFile[filepath.Base(f)]; ok && len(doc.Sources[j].Symbols) > 0 {
			texts[i], types[i] = doc.Sources[j].Symbols[0].Data, doc.Sources[j].Symbols[0].Type
		}
	}
	return texts, types
}

// oneDProfile is a profile with a 1D inserter barcode at the top right.
func oneDProfile(t *testing.T, symbology, content, check string, rotate int) *marks.Profile {
	t.Helper()
	src := fmt.Sprintf(`
name: %s-test
stations: 3
feeders: {brochure: 1, return: 3}
barcode: {symbology: %s, content: %q, check: %s, corner: top-right, x: 10mm, y: 10mm, module: 0.5mm, height: 10mm, rotate: %d}
`, symbology, symbology, content, check, rotate)
	p, err := marks.ParseProfile([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLinearReadBack(t *testing.T) {
	for _, c := range []struct {
		symbology, content, check, zbarType string
		rotate                              int
		duplex                              bool
	}{
		{"code128", "{job:4}{envelope:4}{sheet:2}{sheets:2}{feeders}", "none", "CODE-128", 0, false},
		{"code128", "J{job}E{envelope:4}S{sheet:2}/{sheets:2}", "none", "CODE-128", 90, true},
		{"code39", "{envelope:4}{sheet:2}{sheets:2}{feeders}", "mod43", "CODE-39", 0, false},
		{"i2of5", "{envelope:4}{sheet:2}{sheets:2}{feeders}", "mod10", "I2/5", 270, false},
	} {
		t.Run(fmt.Sprintf("%s/rotate=%d/duplex=%v", c.symbology, c.rotate, c.duplex), func(t *testing.T) {
			t.Parallel()
			p := oneDProfile(t, c.symbology, c.content, c.check, c.rotate)
			r := newMailRun(t, 50, c.duplex)
			path, sheets := r.write(t, p)
			files := renderCrops(t, path, barcodeCrop(t, p, sheets), "png")
			want, pages := markedTexts(t, r, sheets)
			marked := make([]string, len(pages))
			for i, pg := range pages {
				marked[i] = files[pg]
			}
			got, types := zbarimg(t, marked)
			for i := range want {
				if got[i] != want[i] || types[i] != c.zbarType {
					t.Errorf("page %d: %s %q, want %s %q", pages[i]+1, types[i], got[i], c.zbarType, want[i])
				}
			}
		})
	}
}
