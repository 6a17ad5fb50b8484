package pdfmarks

import (
	"fmt"
	"testing"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

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

// readBarcodes renders the barcode view of every page (every sheet's
// symbol has the size of the first's, as the content has fixed widths)
// and decodes the marked pages.
func readBarcodes(t *testing.T, path string, p *marks.Profile, r *mailRun, sheets []marks.SheetMarks) (got, want []markread.SheetRead, pages []int) {
	t.Helper()
	ims := renderView(t, path, p, "barcode", &sheets[0])
	texts, pages := markedTexts(t, r, sheets)
	marked := make([][]markread.Image, len(pages))
	for i, pg := range pages {
		marked[i] = []markread.Image{ims[pg]}
		want = append(want, markread.SheetRead{Barcode: texts[i]})
	}
	got, err := markread.Camera{Profile: p}.Read(marked)
	if err != nil {
		t.Fatal(err)
	}
	if r.duplex {
		checkBacksBlank(t, ims, pages)
	}
	return got, want, pages
}

func TestDataMatrixReadBack(t *testing.T) {
	for _, duplex := range []bool{false, true} {
		t.Run(fmt.Sprintf("duplex=%v", duplex), func(t *testing.T) {
			t.Parallel()
			p := loadProfile(t, "datamatrix-fbp")
			r := newMailRun(t, 50, duplex)
			path, sheets := r.write(t, p)
			got, want, pages := readBarcodes(t, path, p, r, sheets)
			var texts []string
			for i := range want {
				if got[i].Barcode != want[i].Barcode {
					t.Errorf("page %d: Data Matrix reads %q, want %q", pages[i]+1, got[i].Barcode, want[i].Barcode)
				}
				texts = append(texts, want[i].Barcode)
			}
			checkFBPContent(t, r, texts)
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

// checkBacksBlank checks that the pages not listed are blank in the view.
func checkBacksBlank(t *testing.T, ims []markread.Image, marked []int) {
	t.Helper()
	isMarked := map[int]bool{}
	for _, pg := range marked {
		isMarked[pg] = true
	}
	for i, im := range ims {
		if !isMarked[i] {
			if n := markread.DarkCount(im.Gray); n != 0 {
				t.Errorf("page %d, a back: %d dark pixels where the barcode goes", i+1, n)
			}
		}
	}
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
			got, want, pages := readBarcodes(t, path, p, r, sheets)
			for i := range want {
				if got[i].Barcode != want[i].Barcode || got[i].BarcodeType != c.zbarType {
					t.Errorf("page %d: %s %q, want %s %q", pages[i]+1, got[i].BarcodeType, got[i].Barcode, c.zbarType, want[i].Barcode)
				}
			}
		})
	}
}
