package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
)

func writeRun(t *testing.T, o pdftest.Options) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.pdf")
	if err := pdftest.WriteFile(path, o); err != nil {
		t.Fatal(err)
	}
	return path
}

func workflow(method string, duplex bool) config.Workflow {
	return config.Workflow{Name: "w", Format: "pdf", Duplex: duplex, Pieces: config.Pieces{Method: method}}
}

func TestAnalyzeMethods(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3, 2}, Bookmarks: true,
		Title: func(i int) string { return fmt.Sprintf("%s Name %d", pdftest.Account(i), i+1) }}
	withBookmarks := writeRun(t, o)
	plain := writeRun(t, pdftest.Options{Pieces: o.Pieces})
	sidecar := filepath.Join(t.TempDir(), "run.json")
	os.WriteFile(sidecar, pdftest.Sidecar(o), 0o644)

	tests := []struct {
		name       string
		path       string
		wf         config.Workflow
		sidecar    string
		wantMethod string
		wantPages  []int
		wantSheets int
	}{
		{"auto prefers the sidecar", withBookmarks, workflow("auto", false), sidecar, "sidecar", []int{2, 1, 3, 2}, 8},
		{"auto uses bookmarks", withBookmarks, workflow("auto", false), "", "bookmarks", []int{2, 1, 3, 2}, 8},
		{"auto falls back to whole", plain, workflow("auto", false), "", "whole", []int{8}, 8},
		{"duplex sheets", withBookmarks, workflow("bookmarks", true), "", "bookmarks", []int{2, 1, 3, 2}, 1 + 1 + 2 + 1},
		{"fixed", plain, config.Workflow{Pieces: config.Pieces{Method: "fixed", PagesPerPiece: 4}}, "", "fixed", []int{4, 4}, 8},
		{"whole", withBookmarks, workflow("whole", true), "", "whole", []int{8}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(tt.path, workflow("auto", false))
			if err != nil {
				t.Fatal(err)
			}
			a, err := f.Analyze(tt.wf, tt.sidecar)
			if err != nil {
				t.Fatal(err)
			}
			var pages []int
			for _, p := range a.Pieces {
				pages = append(pages, p.Pages)
			}
			if a.Method != tt.wantMethod || fmt.Sprint(pages) != fmt.Sprint(tt.wantPages) || a.Sheets != tt.wantSheets || a.Pages != 8 {
				t.Errorf("got method %s pages %v sheets %d (of %d pages); want %s %v %d", a.Method, pages, a.Sheets, a.Pages, tt.wantMethod, tt.wantPages, tt.wantSheets)
			}
		})
	}
}

func TestAnalyzeBookmarkPattern(t *testing.T) {
	o := pdftest.Options{Pieces: []int{1, 2}, Bookmarks: true,
		Title: func(i int) string { return fmt.Sprintf("%s Name %d", pdftest.Account(i), i+1) }}
	f, err := Open(writeRun(t, o), workflow("auto", false))
	if err != nil {
		t.Fatal(err)
	}
	wf := workflow("bookmarks", false)
	wf.Pieces.BookmarkPattern = `^(?P<account>A\d+) (?P<name>.*)$`
	a, err := f.Analyze(wf, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Pieces[1].Meta; got.Get("account") != "A000002" || got.Get("name") != "Name 2" {
		t.Errorf("meta = %v", got)
	}
	wf.Pieces.BookmarkPattern = `^X(?P<n>\d+)$`
	if _, err := f.Analyze(wf, ""); !errors.Is(err, ErrBadInput) {
		t.Errorf("a title that does not match: err = %v; want ErrBadInput", err)
	}
}

func TestBadInput(t *testing.T) {
	good, _ := os.ReadFile(writeRun(t, pdftest.Options{Pieces: []int{1, 1}}))
	dir := t.TempDir()
	tests := []struct {
		name, reason string
		data         []byte
	}{
		{"empty", "document-format-error", nil},
		{"truncated", "document-format-error", good[:len(good)/2]},
		{"not a pdf", "document-format-error", []byte("hello")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			os.WriteFile(path, tt.data, 0o644)
			_, err := Open(path, workflow("auto", false))
			if !errors.Is(err, ErrBadInput) || Reason(err) != tt.reason {
				t.Errorf("Open: %v (reason %s); want ErrBadInput, %s", err, Reason(err), tt.reason)
			}
		})
	}
	f, err := Open(writeRun(t, pdftest.Options{Pieces: []int{1, 1}}), workflow("auto", false))
	if err != nil {
		t.Fatal(err)
	}
	side := filepath.Join(dir, "past.json")
	os.WriteFile(side, []byte(`{"pieces":[{"first_page":1,"pages":3}]}`), 0o644)
	_, err = f.Analyze(workflow("sidecar", false), side)
	if !errors.Is(err, ErrBadInput) || Reason(err) != "document-unprocessable" || !strings.Contains(err.Error(), "sidecar") {
		t.Errorf("sidecar past the end: %v", err)
	}
	if _, err := f.Analyze(workflow("sidecar", false), ""); !errors.Is(err, ErrBadInput) {
		t.Errorf("sidecar method without a sidecar: %v", err)
	}
}

func TestComposeKeepsPieceOrder(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true}
	f, err := Open(writeRun(t, o), workflow("auto", false))
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.Analyze(workflow("bookmarks", false), "")
	if err != nil {
		t.Fatal(err)
	}
	// Print the pieces in reverse.
	rev := append(a.Pieces[:0:0], a.Pieces...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	out, err := f.Compose(filepath.Join(t.TempDir(), "out.pdf"), rev)
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages != 6 || out.Pieces != 3 {
		t.Errorf("output = %+v", out)
	}
	got := pdftest.PageTexts(t, out.Path)
	want := []string{"piece 3 page 1", "piece 3 page 2", "piece 3 page 3", "piece 2 page 1", "piece 1 page 1", "piece 1 page 2"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pages = %q; want %q", got, want)
	}
}

func TestPrepareSortsByMeta(t *testing.T) {
	o := pdftest.Options{Pieces: []int{1, 2, 1, 1}}
	in := writeRun(t, o)
	side := filepath.Join(t.TempDir(), "run.json")
	os.WriteFile(side, []byte(`{"pieces":[
		{"first_page":1,"pages":1,"meta":{"postal_code":"80331"}},
		{"first_page":2,"pages":2,"meta":{"postal_code":"10115"}},
		{"first_page":4,"pages":1,"meta":{"postal_code":"20095"}},
		{"first_page":5,"pages":1,"meta":{"postal_code":"10115"}}]}`), 0o644)
	wf := workflow("sidecar", false)
	wf.SortBy = []string{"postal_code"}
	r, err := Prepare(wf, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out := r.Outputs[0]
	ordered := Order(r.Pieces, wf.SortBy)
	var want []string
	for _, p := range ordered {
		for j := range p.Pages {
			want = append(want, pdftest.PageText(p.Seq-1, j))
		}
	}
	if got := pdftest.PageTexts(t, out.Path); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("output pages %q; want %q", got, want)
	}
	if fmt.Sprint(seqs(ordered)) != "[2 4 3 1]" {
		t.Errorf("print order %v; want [2 4 3 1]", seqs(ordered))
	}
}

func seqs(pieces []mailpiece.Piece) []int {
	var out []int
	for _, p := range pieces {
		out = append(out, p.Seq)
	}
	return out
}

func TestAnalyzePDFVT(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3}, DPart: true, Bookmarks: true}
	f, err := Open(writeRun(t, o), workflow("auto", true))
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"auto", "dpart"} {
		a, err := f.Analyze(workflow(method, true), "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Method != "dpart" || fmt.Sprint(seqs(a.Pieces)) != "[1 2 3]" || a.Sheets != 1+1+2 {
			t.Fatalf("%s: method %s pieces %+v", method, a.Method, a.Pieces)
		}
		if p := a.Pieces[2]; p.FirstPage != 4 || p.Pages != 3 || p.Meta.Get("account") != pdftest.Account(2) || p.Meta.Get("postal_code") != pdftest.PostalCode(2) {
			t.Errorf("%s: piece 3 = %+v", method, p)
		}
	}
	plain, err := Open(writeRun(t, pdftest.Options{Pieces: []int{1}}), workflow("dpart", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Analyze(workflow("dpart", false), ""); !errors.Is(err, ErrBadInput) {
		t.Errorf("dpart on a PDF without DPart tree: %v", err)
	}
}
