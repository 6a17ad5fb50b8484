package pdf

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// bar is a form: a black bar 10 points wide and 100 high.
var bar = Form{BBox: [4]float64{0, 0, 10, 100}, Content: []byte("0 g 0 0 10 100 re f")}

// barAt draws the bar with its lower left corner at x, y.
func barAt(x, y int) string { return fmt.Sprintf("q 1 0 0 1 %d %d cm /%s Do Q\n", x, y, FormName(0)) }

func TestPageHookDrawsForms(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3}, Logo: true, Inherit: true, Balanced: true}
	d, err := Open(writeRun(t, o))
	if err != nil {
		t.Fatal(err)
	}
	label := Form{BBox: [4]float64{0, 0, 100, 20}, Content: []byte("BT /F1 10 Tf 2 5 Td (OMR) Tj ET"),
		Fonts: map[string]string{"F1": "Helvetica"}}
	out := filepath.Join(t.TempDir(), "out.pdf")
	var calls []string
	spec := OutputSpec{Path: out, Pages: []int{6, 1, 3}, Forms: []Form{bar, label},
		Hook: func(i, page int) ([]byte, error) {
			calls = append(calls, fmt.Sprintf("%d:%d", i, page))
			// the bar on every page, a small square moving with the page,
			// the label on the first page only
			s := barAt(20, 400) + fmt.Sprintf("0 g %d 300 6 6 re f\n", 100+20*i)
			if i == 0 {
				s += "q 1 0 0 1 300 100 cm /OMSForm1 Do Q\n"
			}
			return []byte(s), nil
		}}
	if err := d.WriteOutputs([]OutputSpec{spec}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls, " "); got != "0:6 1:1 2:3" {
		t.Errorf("hook calls %s, want 0:6 1:1 2:3", got)
	}
	texts := pdftest.ExpectedTexts(o)
	got := pdftest.PageTexts(t, out)
	for i := range got {
		got[i] = strings.Join(strings.Fields(got[i]), " ")
	}
	if len(got) != 3 || got[0] != texts[5]+" OMR" || got[1] != texts[0] || got[2] != texts[2] {
		t.Errorf("page texts %q, want the input's and OMR on page 1", got)
	}
	objs := qpdfObjects(t, out)
	if n := countObjects(objs, "/Subtype", "/Form"); n != 2 {
		t.Errorf("%d forms in the output, want each of 2 once", n)
	}
	for k := range 3 {
		pix, w, h := render(t, out, k+1)
		for _, p := range []struct {
			x, y float64
			dark bool
		}{{25, 450, true}, {25, 380, false}, {103 + 20*float64(k), 303, true}, {103 + 20*float64(k+1), 303, false}} {
			if dark(pix, w, h, p.x, p.y) != p.dark {
				t.Errorf("page %d: point %v,%v dark %v, want %v", k+1, p.x, p.y, !p.dark, p.dark)
			}
		}
	}
}

func TestPageHookUnbalancedContent(t *testing.T) {
	// The page scales its coordinates and does not restore them: the hook's
	// content must still be drawn in the page's default space.
	path := writeRaw(t,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 5 0 R] >>",
		pdftest.Stream("2 0 0 2 0 0 cm"),
		pdftest.Stream("0 g 200 200 10 10 re f"),
	)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	err = d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{1}, Forms: []Form{bar},
		Hook: func(i, page int) ([]byte, error) { return []byte(barAt(20, 400)), nil }}})
	if err != nil {
		t.Fatal(err)
	}
	qpdf(t, "--check", out)
	pix, w, h := render(t, out, 1)
	if !dark(pix, w, h, 25, 450) || !dark(pix, w, h, 405, 405) {
		t.Errorf("the bar or the page's own square is missing")
	}
}

func TestPageHookNameClash(t *testing.T) {
	path := writeRaw(t,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /OMSForm0 5 0 R >> >> >>",
		pdftest.Stream("/OMSForm0 Do"),
		"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 0 >>\nstream\n\nendstream",
	)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	err = d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{1}, Forms: []Form{bar},
		Hook: func(i, page int) ([]byte, error) { return []byte(barAt(0, 0)), nil }}})
	if !errors.Is(err, ErrOutput) || !strings.Contains(err.Error(), "XObject named /OMSForm0") {
		t.Errorf("error %v, want ErrOutput naming /OMSForm0", err)
	}
}

func TestBlankPages(t *testing.T) {
	o := pdftest.Options{Pieces: []int{1, 2}, Inherit: true, Balanced: true}
	d, err := Open(writeRun(t, o))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	var calls []string
	spec := OutputSpec{Path: out, Pages: []int{1, Blank(1), 2, 3}, Forms: []Form{bar},
		Hook: func(i, page int) ([]byte, error) {
			calls = append(calls, fmt.Sprintf("%d:%d", i, page))
			return []byte(barAt(20, 400)), nil
		}}
	if err := d.WriteOutputs([]OutputSpec{spec}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls, " "); got != "0:1 1:-1 2:2 3:3" {
		t.Errorf("hook calls %s", got)
	}
	texts := pdftest.ExpectedTexts(o)
	got := pdftest.PageTexts(t, out)
	if len(got) != 4 || got[0] != texts[0] || got[1] != "" || got[2] != texts[1] || got[3] != texts[2] {
		t.Errorf("page texts %q, want a blank second page", got)
	}
	if d2, err := Open(out); err != nil || d2.PageCount() != 4 {
		t.Errorf("reopened: %v", err)
	}
	if err := d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{Blank(4)}}}); !errors.Is(err, ErrPageRange) {
		t.Errorf("a blank page sized after a missing page: %v", err)
	}
}
