package pdfmarks

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/pdf"
	"github.com/omsd/omsd/postage"
)

// mailRun is a test mail run: an input PDF, its pieces, a plan of
// envelopes in print order, and the output's pages.
type mailRun struct {
	doc       *pdf.Doc
	pieces    []mailpiece.Piece
	envelopes []marks.EnvelopeSheets
	pages     []int // input pages in print order
	duplex    bool
}

// Insert names of the test plans, and the stations the tests map them to.
var testFeeders = map[string]int{"brochure": 1, "return": 3}

// newMailRun writes a run of n pieces of 1 to 6 sheets. Some envelopes
// hold two or three pieces (householded), envelopes are printed in an
// order other than the input's, some take inserts. In duplex every piece
// has two pages a sheet, but the last printed, which ends on a front.
func newMailRun(t *testing.T, n int, duplex bool) *mailRun {
	t.Helper()
	r := &mailRun{duplex: duplex}
	sheets := make([]int, n)
	for i := range sheets {
		sheets[i] = 1 + (i*7+i/6)%6
	}
	groups := envelopeGroups(n)
	lastSeq := groups[len(groups)-1][len(groups[len(groups)-1])-1]
	o := pdftest.Options{Balanced: true}
	first := 1
	for i := range n {
		pages := sheets[i]
		if duplex {
			pages = 2 * sheets[i]
			if i+1 == lastSeq {
				pages--
			}
		}
		o.Pieces = append(o.Pieces, pages)
		r.pieces = append(r.pieces, mailpiece.Piece{Seq: i + 1, FirstPage: first, Pages: pages,
			Sheets: mailpiece.SheetsFor(pages, duplex), Meta: meta.FromMap(map[string]string{"zip": pdftest.PostalCode(i)})})
		first += pages
	}
	path := filepath.Join(t.TempDir(), "run.pdf")
	if err := pdftest.WriteFile(path, o); err != nil {
		t.Fatal(err)
	}
	doc, err := pdf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.doc = doc
	plan := testPlan(groups)
	if r.envelopes, err = marks.FromPlan(plan, "main", r.pieces); err != nil {
		t.Fatal(err)
	}
	for _, e := range r.envelopes {
		for _, pc := range e.Pieces {
			p := r.pieces[pc.Seq-1]
			for pg := p.FirstPage; pg <= p.LastPage(); pg++ {
				r.pages = append(r.pages, pg)
			}
		}
	}
	return r
}

// envelopeGroups puts n pieces into envelopes and orders them: pieces 10
// and 11 share one, 30 to 32 another; the others go alone. Envelopes are
// printed in an order that mixes the input's.
func envelopeGroups(n int) [][]int {
	var groups [][]int
	for seq := 1; seq <= n; seq++ {
		switch {
		case seq == 10 && n >= 11:
			groups = append(groups, []int{10, 11})
			seq++
		case seq == 30 && n >= 32:
			groups = append(groups, []int{30, 31, 32})
			seq += 2
		default:
			groups = append(groups, []int{seq})
		}
	}
	order := make([][]int, 0, len(groups))
	for k := range 7 { // 0, 7, 14, …, then 1, 8, …
		for j := k; j < len(groups); j += 7 {
			order = append(order, groups[j])
		}
	}
	return order
}

// testPlan is a postage plan with the envelopes in the given print order,
// all for output "main", some with inserts.
func testPlan(groups [][]int) *postage.Plan {
	plan := &postage.Plan{Outputs: map[string][]int{}}
	for k, g := range groups {
		e := postage.Envelope{ID: k + 1, Pieces: g, Output: "main"}
		if k%4 == 1 {
			e.Insert = append(e.Insert, "brochure")
		}
		if k%5 == 2 {
			e.Insert = append(e.Insert, "return")
		}
		plan.Envelopes = append(plan.Envelopes, e)
		plan.Outputs["main"] = append(plan.Outputs["main"], g...)
	}
	return plan
}

// write computes the marks of the run with profile p and writes the
// output; it returns the output's path and its sheets.
func (r *mailRun) write(t *testing.T, p *marks.Profile) (string, []marks.SheetMarks) {
	t.Helper()
	sheets, err := marks.Sheets(marks.JobInfo{ID: "4711"}, r.envelopes, p)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), fmt.Sprintf("%s.pdf", p.Name))
	if err := Write(r.doc, []Output{{Path: out, Pages: r.pages, Sheets: sheets}}, p, r.duplex); err != nil {
		t.Fatal(err)
	}
	return out, sheets
}

// loadProfile loads a shipped profile with the test feeders.
func loadProfile(t *testing.T, name string) *marks.Profile {
	t.Helper()
	p, err := marks.LoadProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stations > 0 {
		p.Feeders = testFeeders
		if err := p.Prepare(); err != nil {
			t.Fatal(err)
		}
	}
	return p
}
