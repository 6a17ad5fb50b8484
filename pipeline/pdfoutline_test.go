package pipeline

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
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
				want = append(want, fmt.Sprintf("%s@%d", p.Meta["title"], page))
				page += p.Pages
			}
			got := qpdfBookmarks(t, r.Outputs[0].Path)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("bookmarks %v\nwant %v", got, want)
			}
		})
	}
}
