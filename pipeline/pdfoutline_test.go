package pipeline

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/pdf"
)

// qpdfBookmarks lists the top-level bookmarks of a PDF as qpdf reads them:
// title and 1-based page.
func qpdfBookmarks(t *testing.T, path string) []string {
	t.Helper()
	bin := pdftest.NeedTool(t, "qpdf", "qpdf")
	out, err := exec.Command(bin, "--json=2", "--json-key=outlines", path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var doc struct {
		Outlines []struct {
			Title string `json:"title"`
			Page  int    `json:"destpageposfrom1"`
		} `json:"outlines"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range doc.Outlines {
		got = append(got, fmt.Sprintf("%s@%d", o.Title, o.Page))
	}
	return got
}

// TestPDFOutputBookmarks prepares a bookmarked run sorted by postal code,
// with marks and without: a reader finds each piece's bookmark in the
// output, in print order, at the piece's first page.
func TestPDFOutputBookmarks(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3, 2, 1, 4, 1}, Bookmarks: true, Balanced: true,
		Title: func(i int) string {
			return fmt.Sprintf("account=%s;postal_code=%s", pdftest.Account(i), pdftest.PostalCode((i*3)%7))
		}}
	in := writeRun(t, o)
	for _, marked := range []bool{false, true} {
		t.Run(fmt.Sprintf("marks=%v", marked), func(t *testing.T) {
			wf := workflow("bookmarks", false)
			wf.SortBy = []string{"postal_code"}
			if marked {
				wf.Marks = markedWorkflow(t, "{profile: pb-omr}").Marks
			}
			r, err := Prepare(wf, in, "", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			page := 1
			for _, p := range Order(r.Pieces, wf.SortBy) {
				want = append(want, fmt.Sprintf("%s@%d", p.Meta.Get("title"), page))
				page += p.Pages
			}
			got := qpdfBookmarks(t, r.Outputs[0].Path)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("bookmarks %v\nwant %v", got, want)
			}
		})
	}
}

// TestPDFOutputRecords prepares a PDF/VT run by its records, sorted by
// postal code, duplex with marks (blank backs added) and without: the
// output's document part tree holds the pieces' records in print order,
// at their pages, with their metadata.
func TestPDFOutputRecords(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3, 2, 1, 4, 1, 3, 2, 2, 1, 2, 3, 1}, DPart: true, Balanced: true} // postal codes wrap at piece 13
	in := writeRun(t, o)
	for _, marked := range []bool{false, true} {
		t.Run(fmt.Sprintf("marks=%v", marked), func(t *testing.T) {
			wf := workflow("dpart", marked)
			if marked {
				wf.Marks = markedWorkflow(t, "{profile: pb-omr}").Marks
			}
			wf.SortBy = []string{"postal_code"}
			r, err := Prepare(wf, in, "", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			doc, err := pdf.Open(r.Outputs[0].Path)
			if err != nil {
				t.Fatal(err)
			}
			recs, err := doc.DParts()
			if err != nil {
				t.Fatal(err)
			}
			order := Order(r.Pieces, wf.SortBy)
			if order[0].Seq != 13 {
				t.Fatalf("piece %d prints first: the test wants the order changed", order[0].Seq)
			}
			if len(recs) != len(order) {
				t.Fatalf("%d records in the output, want %d", len(recs), len(order))
			}
			page := 1
			for i, p := range order {
				n := p.Pages
				if marked && n%2 == 1 {
					n++ // its blank back
				}
				if recs[i].FirstPage != page || recs[i].LastPage != page+n-1 || !meta.FromMap(recs[i].Meta).Equal(p.Meta) {
					t.Errorf("record %d: pages %d-%d %v; want piece %d at %d-%d %v", i+1, recs[i].FirstPage, recs[i].LastPage,
						recs[i].Meta, p.Seq, page, page+n-1, p.Meta)
				}
				page += n
			}
		})
	}
}
