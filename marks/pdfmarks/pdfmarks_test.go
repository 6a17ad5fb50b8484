package pdfmarks

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata")

// union is the smallest rectangle holding the zones.
func union(zones []marks.Zone) marks.Rect {
	r := zones[0].Rect
	for _, z := range zones[1:] {
		x0, y0 := math.Min(r.X, z.Rect.X), math.Min(r.Y, z.Rect.Y)
		x1, y1 := math.Max(r.X+r.W, z.Rect.X+z.Rect.W), math.Max(r.Y+r.H, z.Rect.Y+z.Rect.H)
		r = marks.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
	}
	return r
}

// TestGolden renders the mark zone of one sheet of each shipped profile
// and compares it with testdata/NAME.png; -update rewrites them.
func TestGolden(t *testing.T) {
	for _, name := range marks.Profiles() {
		t.Run(name, func(t *testing.T) {
			p := loadProfile(t, name)
			r := newMailRun(t, 12, false)
			path, sheets := r.write(t, p)
			k := 10 // envelope 2 (pieces 10 and 11), its second sheet
			zones, err := p.Zones(&sheets[k])
			if err != nil {
				t.Fatal(err)
			}
			g := render(t, path, p, union(zones), 150)[k].Gray
			golden := filepath.Join("testdata", name+".png")
			if *update {
				if err := markread.WritePNG(golden, g); err != nil {
					t.Fatal(err)
				}
			}
			want, err := markread.ReadGray(golden)
			if err != nil {
				t.Fatal(err)
			}
			if g.Bounds() != want.Bounds() || !bytes.Equal(g.Pix, want.Pix) {
				t.Errorf("sheet %d's mark zone differs from %s (run with -update to accept)", k+1, golden)
			}
		})
	}
}

// TestPageContentKept checks that marks change the pages inside their
// zones only, and that the pages keep their text.
func TestPageContentKept(t *testing.T) {
	for _, name := range marks.Profiles() {
		p := loadProfile(t, name)
		r := newMailRun(t, 4, true)
		path, sheets := r.write(t, p)
		plain := filepath.Join(t.TempDir(), "plain.pdf")
		if err := r.doc.WritePages(plain, r.pages); err != nil {
			t.Fatal(err)
		}
		page := marks.Rect{W: p.Page().W, H: p.Page().H}
		marked := render(t, path, p, page, 72)
		unmarked := render(t, plain, p, page, 72)
		sides, _ := layout(&Output{Pages: r.pages, Sheets: sheets}, true)
		for i := range marked {
			a, b := marked[i].Gray, unmarked[i].Gray
			zones, _ := p.Zones(&sheets[sides[i].sheet])
			inside, outside := 0, 0
			for y := range a.Rect.Dy() {
				for x := range a.Rect.Dx() {
					if a.Pix[y*a.Stride+x] == b.Pix[y*b.Stride+x] {
						continue
					}
					if inZones(zones, float64(x)+0.5, page.H-float64(y)-0.5) {
						inside++
					} else {
						outside++
					}
				}
			}
			if outside > 0 || (inside == 0) != sides[i].back {
				t.Errorf("%s page %d: %d pixels changed outside the zones, %d inside", name, i+1, outside, inside)
			}
		}
		if got, want := pdftest.PageTexts(t, path), pdftest.PageTexts(t, plain); len(got) != len(want) || len(got) != len(r.pages) {
			t.Errorf("%s: %d pages of text, want %d", name, len(got), len(want))
		} else {
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s page %d: text %q, want %q", name, i+1, got[i], want[i])
				}
			}
		}
	}
}

// inZones reports whether the point (in points) lies in a zone, or
// within a pixel of one.
func inZones(zones []marks.Zone, x, y float64) bool {
	for _, z := range zones {
		r := z.Rect
		if x >= r.X-1 && x <= r.X+r.W+1 && y >= r.Y-1 && y <= r.Y+r.H+1 {
			return true
		}
	}
	return false
}

// TestMarkFormShared checks that an output holds the OMR mark once, as a
// form, that each page draws it once for each of its marks, as a real
// reader (qpdf) finds them, and that pages with the same OMR code share
// one content stream.
func TestMarkFormShared(t *testing.T) {
	p := loadProfile(t, "pb-omr")
	r := newMailRun(t, 20, false)
	path, sheets := r.write(t, p)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if forms := bytes.Count(b, []byte("/Subtype /Form")); forms != 1 {
		t.Errorf("%d forms in the output, want 1", forms)
	}
	pages, streams := qpdfPages(t, path, true)
	if len(pages) != len(sheets) {
		t.Fatalf("%d pages, %d sheets", len(pages), len(sheets))
	}
	codes := map[string]string{} // OMR code -> its page's marks stream
	for i, s := range sheets {
		n, code := 0, ""
		for _, on := range s.OMR {
			n += btoi(on)
			code += fmt.Sprint(btoi(on))
		}
		c := pages[i]
		last := c[len(c)-1] // the marks, drawn after the page's own content
		if draws := bytes.Count(streamData(t, streams[last]), []byte("/OMSForm0 Do")); draws != n {
			t.Errorf("page %d draws the form %d times, want %d (one per mark)", i+1, draws, n)
		}
		if prev, ok := codes[code]; ok && prev != last {
			t.Errorf("page %d: OMR code %s drawn by %s, an earlier page's by %s: not shared", i+1, code, last, prev)
		}
		codes[code] = last
	}
}

func TestLayoutErrors(t *testing.T) {
	one, two := marks.SheetMarks{Pages: 1}, marks.SheetMarks{Pages: 2}
	for _, c := range []struct {
		name   string
		pages  int
		sheets []marks.SheetMarks
		duplex bool
	}{
		{"duplex one-page sheet before another", 5, []marks.SheetMarks{two, one, two}, true},
		{"duplex one-page sheets", 2, []marks.SheetMarks{one, one}, true},
		{"simplex two-page sheet", 3, []marks.SheetMarks{one, two}, false},
		{"too few pages", 2, []marks.SheetMarks{one, one, one}, false},
		{"too many pages", 4, []marks.SheetMarks{two, one}, true},
		{"no pages on a sheet", 1, []marks.SheetMarks{{}, one}, false},
	} {
		pages := make([]int, c.pages)
		if _, err := layout(&Output{Pages: pages, Sheets: c.sheets}, c.duplex); !errors.Is(err, ErrLayout) {
			t.Errorf("%s: error %v, want ErrLayout", c.name, err)
		}
	}
	if s, err := layout(&Output{Pages: make([]int, 5), Sheets: []marks.SheetMarks{two, two, one}}, true); err != nil || len(s) != 5 || !s[3].back || s[4].back || s[4].sheet != 2 {
		t.Errorf("duplex layout %v %v", s, err)
	}
}

func TestWriteReportsLayout(t *testing.T) {
	p := loadProfile(t, "pb-omr")
	r := newMailRun(t, 3, false)
	sheets, err := marks.Sheets(marks.JobInfo{}, r.envelopes, p)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	err = Write(r.doc, []Output{{Path: out, Pages: r.pages[1:], Sheets: sheets}}, p, false)
	if !errors.Is(err, ErrLayout) {
		t.Errorf("error %v, want ErrLayout", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("an output was written: %v", err)
	}
}
