package pdf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// piecePages returns the pages of each piece of the run o.
func piecePages(o pdftest.Options) [][]int {
	var pages [][]int
	first := 1
	for _, n := range o.Pieces {
		var p []int
		for j := range n {
			p = append(p, first+j)
		}
		pages = append(pages, p)
		first += n
	}
	return pages
}

// deal deals the pieces of o, last first, into n outputs in dir.
func deal(o pdftest.Options, n int, dir string) []OutputSpec {
	specs := make([]OutputSpec, n)
	pieces := piecePages(o)
	for i := len(pieces) - 1; i >= 0; i-- {
		s := &specs[i%n]
		s.Pages = append(s.Pages, pieces[i]...)
	}
	for i := range specs {
		specs[i].Path = filepath.Join(dir, fmt.Sprintf("out%d.pdf", i+1))
	}
	return specs
}

func TestWriteOutputsReorderSplit(t *testing.T) {
	base := pdftest.Options{Pieces: manyPieces(60), Logo: true, Bookmarks: true}
	balanced := base
	balanced.Balanced, balanced.Inherit, balanced.DPart, balanced.PageLabels = true, true, true, true
	tests := []struct {
		name    string
		o       pdftest.Options
		rewrite []string
	}{
		{"flat", base, nil},
		{"balanced, inherited, document parts", balanced, nil},
		// qpdf would compress the run's small content streams, each to more
		// bytes than it holds, and the output copies them as stored.
		{"qpdf object streams", balanced, []string{"--object-streams=generate", "--compress-streams=n"}},
		{"qpdf linearized", base, []string{"--linearize"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := writeRun(t, tc.o)
			in := orig
			if tc.rewrite != nil {
				in = rewrite(t, orig, tc.rewrite...)
			}
			d, err := Open(in)
			if err != nil {
				t.Fatal(err)
			}
			specs := deal(tc.o, 3, t.TempDir())
			if err := d.WriteOutputs(specs); err != nil {
				t.Fatal(err)
			}
			texts := pdftest.ExpectedTexts(tc.o)
			for _, s := range specs {
				checkOutput(t, s.Path, texts, s.Pages)
				checkShared(t, s.Path, orig, len(s.Pages), tc.o.PageCount())
			}
		})
	}
}

// checkShared checks that an output of pages pages, out of an input of
// total pages, holds the shared font and logo once, and is not bigger than
// its share of the input plus those. The input is as the generator wrote
// it, without object streams.
func checkShared(t *testing.T, out, in string, pages, total int) {
	t.Helper()
	objs := qpdfObjects(t, out)
	if n := countObjects(objs, "/Subtype", "/Image"); n != 1 {
		t.Errorf("%s holds %d images, want the logo once", filepath.Base(out), n)
	}
	if n := countObjects(objs, "/Type", "/Font"); n != 1 {
		t.Errorf("%s holds %d fonts, want the font once", filepath.Base(out), n)
	}
	if n := countObjects(objs, "/Type", "/Page"); n != pages {
		t.Errorf("%s holds %d page objects, want %d", filepath.Base(out), n, pages)
	}
	share := sizeOf(t, in) * int64(pages) / int64(total)
	if size := sizeOf(t, out); size > share+8<<10 {
		t.Errorf("%s is %d bytes, more than its share %d of the input and the shared logo", filepath.Base(out), size, share)
	}
}

func TestWriteOutputsPageLabels(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3, 2}, PageLabels: true, Balanced: true}
	d, err := Open(writeRun(t, o))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	specs := []OutputSpec{
		{Path: filepath.Join(dir, "a.pdf"), Pages: []int{7, 8, 1, 2, 3}},
		{Path: filepath.Join(dir, "b.pdf"), Pages: []int{5, 6, 4, 4}},
	}
	if err := d.WriteOutputs(specs); err != nil {
		t.Fatal(err)
	}
	labels := map[int]string{} // input page -> label
	for p, pieces := 1, piecePages(o); p <= o.PageCount(); p++ {
		for i, pages := range pieces {
			for j, q := range pages {
				if q == p {
					labels[p] = pdftest.PageLabel(i, j)
				}
			}
		}
	}
	for _, s := range specs {
		var want []string
		for _, p := range s.Pages {
			want = append(want, labels[p])
		}
		if got := qpdfLabels(t, s.Path, len(s.Pages)); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: labels %q, want %q", filepath.Base(s.Path), got, want)
		}
	}
}

// qpdfLabels returns the label of every page, as qpdf reads the page label
// ranges (decimal style only).
func qpdfLabels(t *testing.T, path string, pages int) []string {
	t.Helper()
	var doc struct {
		Labels []struct {
			Index int            `json:"index"`
			Label map[string]any `json:"label"`
		} `json:"pagelabels"`
	}
	qpdfJSONKey(t, path, "pagelabels", &doc)
	labels := make([]string, pages)
	for i, r := range doc.Labels {
		end := pages
		if i+1 < len(doc.Labels) {
			end = doc.Labels[i+1].Index
		}
		prefix, _ := r.Label["/P"].(string)
		first, ok := r.Label["/St"].(float64)
		if !ok {
			first = 1
		}
		for p := r.Index; p < end; p++ {
			labels[p] = strings.TrimPrefix(prefix, "u:")
			if r.Label["/S"] == "/D" {
				labels[p] += fmt.Sprint(int(first) + p - r.Index)
			}
		}
	}
	return labels
}

func TestWriteOutputsInherited(t *testing.T) {
	// A two-level tree: the root gives a media box and a rotation, the
	// middle node resources and a crop box; page 2 has its own media box.
	path := writeRaw(t,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 2 /MediaBox [0 0 300 400] /Rotate 90 >>",
		"<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R] /Count 2 /CropBox [10 10 290 390] /Resources << /Font << /F1 8 0 R >> >> >>",
		"<< /Type /Page /Parent 3 0 R /Contents 6 0 R >>",
		"<< /Type /Page /Parent 3 0 R /Contents 7 0 R /MediaBox [0 0 200 200] >>",
		pdftest.Stream("BT /F1 12 Tf 20 100 Td (one) Tj ET"),
		pdftest.Stream("BT /F1 12 Tf 20 100 Td (two) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	if err := d.WritePages(out, []int{2, 1}); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out, []string{"one", "two"}, []int{2, 1})
	want := map[string]string{ // page text -> its attributes
		"two": "[0 0 200 200] [10 10 290 390] 90 true",
		"one": "[0 0 300 400] [10 10 290 390] 90 true",
	}
	pages := 0
	for _, p := range qpdfObjects(t, out) {
		if p["/Type"] != "/Page" {
			continue
		}
		pages++
		got := fmt.Sprintf("%v %v %v %v", p["/MediaBox"], p["/CropBox"], p["/Rotate"], p["/Resources"] != nil)
		if got != want["one"] && got != want["two"] {
			t.Errorf("page attributes %s, want one of %v", got, want)
		}
	}
	if pages != 2 {
		t.Errorf("%d pages", pages)
	}
}

func TestWriteOutputsErrors(t *testing.T) {
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{2, 1}}))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf")
	form := []Form{{BBox: [4]float64{0, 0, 1, 1}, Content: []byte("0 0 1 1 re f")}}
	hook := func(i, page int) ([]byte, error) { return []byte("/OMSForm0 Do"), nil }
	tests := []struct {
		name    string
		specs   []OutputSpec
		wantErr error
		wantMsg string
	}{
		{"no pages", []OutputSpec{{Path: a, Pages: []int{1}}, {Path: b}}, ErrPageRange, "no pages selected"},
		{"page out of range", []OutputSpec{{Path: a, Pages: []int{1, 4}}}, ErrPageRange, "page 4, the document has pages 1-3"},
		{"path twice", []OutputSpec{{Path: a, Pages: []int{1}}, {Path: a, Pages: []int{2}}}, ErrOutput, "names it twice"},
		{"one directory missing", []OutputSpec{{Path: a, Pages: []int{1}}, {Path: filepath.Join(dir, "none", "c.pdf"), Pages: []int{2}}},
			os.ErrNotExist, "c.pdf"},
		{"forms without hook", []OutputSpec{{Path: a, Pages: []int{1}, Forms: form}}, ErrOutput, "without a page hook"},
		{"not a standard font", []OutputSpec{{Path: a, Pages: []int{1}, Hook: hook,
			Forms: []Form{{Content: []byte("BT /F1 9 Tf ET"), Fonts: map[string]string{"F1": "Arial"}}}}}, ErrOutput, "Arial"},
		{"hook fails", []OutputSpec{{Path: a, Pages: []int{1}}, {Path: b, Pages: []int{2, 3}, Forms: form,
			Hook: func(i, page int) ([]byte, error) {
				if page == 3 {
					return nil, errors.New("no barcode for page 3")
				}
				return []byte("/OMSForm0 Do"), nil
			}}}, ErrOutput, "no barcode for page 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := d.WriteOutputs(tc.specs)
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %v, want %q saying %q", err, tc.wantErr, tc.wantMsg)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a failed job left %d files behind", len(entries))
			}
		})
	}
}

func TestWriteOutputsLinksBetweenPages(t *testing.T) {
	// Page 1 links to page 3; its annotation points back at page 1 with /P.
	// An output holds no page the input's page tree held but it did not
	// select: links to such pages become null, links to selected pages
	// lead to their copies.
	path := writeRaw(t,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 300 300] /Resources << /Font << /F1 9 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [10 0 R] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Contents 8 0 R >>",
		pdftest.Stream("BT /F1 12 Tf 20 100 Td (one) Tj ET"),
		pdftest.Stream("BT /F1 12 Tf 20 100 Td (two) Tj ET"),
		pdftest.Stream("BT /F1 12 Tf 20 100 Td (three) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /P 3 0 R /Dest [5 0 R /Fit] >>",
	)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"one", "two", "three"}
	dir := t.TempDir()
	tests := []struct {
		pages    []int
		wantDest int // index in the output of the link's target; -1: null
	}{
		{[]int{1}, -1},
		{[]int{3, 1}, 0},
		{[]int{1, 2, 3, 3}, 2},
	}
	for i, tc := range tests {
		out := filepath.Join(dir, fmt.Sprintf("out%d.pdf", i))
		if err := d.WritePages(out, tc.pages); err != nil {
			t.Fatal(err)
		}
		checkOutput(t, out, texts, tc.pages)
		var doc struct {
			Pages []struct {
				Object string `json:"object"`
			} `json:"pages"`
		}
		qpdfJSONKey(t, out, "pages", &doc)
		objs := qpdfObjects(t, out)
		if n := countObjects(objs, "/Type", "/Page"); n != len(tc.pages) {
			t.Errorf("pages %v: %d page objects, want %d", tc.pages, n, len(tc.pages))
		}
		for key, o := range objs {
			if o["/Subtype"] != "/Link" {
				continue
			}
			dest, _ := o["/Dest"].([]any)
			want := any(nil)
			if tc.wantDest >= 0 {
				want = doc.Pages[tc.wantDest].Object
			}
			if len(dest) == 0 || dest[0] != want {
				t.Errorf("pages %v: link %s leads to %v, want %v", tc.pages, key, dest, want)
			}
		}
	}
}
