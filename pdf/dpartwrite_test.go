package pdf

import (
	"fmt"
	"maps"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// TestOutputDParts writes outputs of a PDF/VT run, records reordered, one
// split over two outputs, a blank page added: each output has a document
// part tree of its own whose records are the input's, at their new pages,
// with their metadata (their group's included), and every page points at
// its record.
func TestOutputDParts(t *testing.T) {
	for _, balanced := range []bool{false, true} {
		t.Run(fmt.Sprintf("balanced=%v", balanced), func(t *testing.T) {
			o := pdftest.Options{Pieces: []int{2, 1, 3, 2, 1, 4, 1, 2, 3, 1, 2, 2}, DPart: true, Balanced: balanced}
			d, err := Open(writeRun(t, o))
			if err != nil {
				t.Fatal(err)
			}
			in, err := d.DParts()
			if err != nil || len(in) != len(o.Pieces) {
				t.Fatalf("input records %v, %v", in, err)
			}
			pagesOf := func(recs ...int) []int {
				var pages []int
				for _, r := range recs {
					for p := in[r].FirstPage; p <= in[r].LastPage; p++ {
						pages = append(pages, p)
					}
				}
				return pages
			}
			dir := t.TempDir()
			outs := []struct {
				pages []int
				recs  []int // input record of each output record
			}{
				{append(append(pagesOf(11, 5), Blank(1)), pagesOf(2, 0)...), []int{11, 5, 2, 0}},
				{append(pagesOf(1, 3), in[2].FirstPage, in[2].FirstPage+1), []int{1, 3, 2}}, // the first two pages of record 2
			}
			var specs []OutputSpec
			for i, out := range outs {
				specs = append(specs, OutputSpec{Path: filepath.Join(dir, fmt.Sprintf("out%d.pdf", i)), Pages: out.pages})
			}
			if err := d.WriteOutputs(specs); err != nil {
				t.Fatal(err)
			}
			for i, out := range outs {
				qpdf(t, "--check", specs[i].Path)
				od, err := Open(specs[i].Path)
				if err != nil {
					t.Fatal(err)
				}
				got, err := od.DParts()
				if err != nil || len(got) != len(out.recs) {
					t.Fatalf("output %d: records %+v, %v; want %d", i, got, err, len(out.recs))
				}
				page := 1
				for j, r := range out.recs {
					n := in[r].LastPage - in[r].FirstPage + 1
					if j == 1 && i == 0 {
						n++ // the blank page after record 5
					}
					if i == 1 && j == 2 {
						n = 2
					}
					if got[j].FirstPage != page || got[j].LastPage != page+n-1 || !maps.Equal(got[j].Meta, in[r].Meta) {
						t.Errorf("output %d record %d: pages %d-%d %v; want %d-%d %v", i, j+1, got[j].FirstPage, got[j].LastPage, got[j].Meta,
							page, page+n-1, in[r].Meta)
					}
					page += n
				}
				for ref, dict := range qpdfObjects(t, specs[i].Path) {
					if dict["/Type"] == "/Page" && dict["/DPart"] == nil {
						t.Errorf("output %d: page %s has no /DPart", i, ref)
					}
				}
			}
		})
	}
}
