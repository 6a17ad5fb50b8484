package pdf

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// cairo has pdftocairo (poppler-utils) rewrite the file at path through
// cairo: another producer, with its own object layout.
func cairo(t *testing.T, path string) string {
	t.Helper()
	bin := pdftest.NeedTool(t, "pdftocairo", "poppler-utils")
	out := filepath.Join(t.TempDir(), "cairo.pdf")
	if msg, err := exec.Command(bin, "-pdf", path, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftocairo: %v\n%s", err, msg)
	}
	return out
}

func TestWritePages(t *testing.T) {
	run := pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true}
	texts := pdftest.ExpectedTexts(run) // texts[i] is on page i+1
	big := pdftest.Options{Pieces: manyPieces(40), Balanced: true, Bookmarks: true}
	bigTexts := pdftest.ExpectedTexts(big)
	tests := []struct {
		name  string
		input func(t *testing.T) string
		texts []string
		pages []int
	}{
		{"reverse", func(t *testing.T) string { return writeRun(t, run) }, texts, []int{6, 5, 4, 3, 2, 1}},
		{"shuffle", func(t *testing.T) string { return writeRun(t, run) }, texts, []int{3, 1, 6, 2, 5, 4}},
		{"one piece", func(t *testing.T) string { return writeRun(t, run) }, texts, []int{4, 5, 6}},
		{"one page", func(t *testing.T) string { return writeRun(t, run) }, texts, []int{2}},
		{"a page twice", func(t *testing.T) string { return writeRun(t, run) }, texts, []int{2, 2, 1}},
		{"balanced tree", func(t *testing.T) string { return writeRun(t, big) }, bigTexts, []int{100, 7, 1, 50, 99, 2}},
		{"qpdf object streams", func(t *testing.T) string {
			return rewrite(t, writeRun(t, big), "--object-streams=generate")
		}, bigTexts, []int{10, 9, 8, 1, 100}},
		{"cairo", func(t *testing.T) string { return cairo(t, writeRun(t, run)) }, texts, []int{6, 1, 5, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(tc.input(t))
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out.pdf")
			if err := d.WritePages(out, tc.pages); err != nil {
				t.Fatal(err)
			}
			qpdf(t, "--check", out)
			var want []string
			for _, p := range tc.pages {
				want = append(want, tc.texts[p-1])
			}
			if got := pdftest.PageTexts(t, out); !slices.Equal(got, want) {
				t.Errorf("pages of the output:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestWritePagesIdentity(t *testing.T) {
	in := writeRun(t, pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true})
	d, err := Open(in)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(out, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.WritePages(out, []int{1, 2, 3, 4, 5, 6}); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(in)
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, want) {
		t.Errorf("identity output differs from the input (%d vs %d bytes)", len(got), len(want))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only out.pdf", len(entries))
	}
}

func TestWritePagesErrors(t *testing.T) {
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{2, 1}}))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		pages   []int
		wantErr error
		wantMsg string
	}{
		{"none", filepath.Join(dir, "a.pdf"), nil, ErrPageRange, "no pages selected"},
		{"zero", filepath.Join(dir, "a.pdf"), []int{1, 0}, ErrPageRange, "page 0, the document has pages 1-3"},
		{"past the end", filepath.Join(dir, "a.pdf"), []int{4}, ErrPageRange, "page 4"},
		{"no such directory", filepath.Join(dir, "none", "a.pdf"), []int{2, 1}, os.ErrNotExist, "a.pdf"},
		{"no such directory, identity", filepath.Join(dir, "none", "a.pdf"), []int{1, 2, 3}, os.ErrNotExist, "a.pdf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := d.WritePages(tc.path, tc.pages)
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %v, want %q saying %q", err, tc.wantErr, tc.wantMsg)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed writes left %d files behind", len(entries))
	}
}

// TestWritePagesKeepsDoc checks that writing pages leaves the parsed
// document as it was: the outline and later writes are unchanged.
func TestWritePagesKeepsDoc(t *testing.T) {
	path := writeRaw(t, rawDoc("/Outlines 9 0 R /Names << /Dests 12 0 R >>", append(
		outlineItems("/Title (a) /Dest (p1)", "/Title (b) /Dest (p3)"),
		"<< /Names [(p1) [3 0 R /Fit] (p3) [5 0 R /Fit]] >>")...)...)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	before, err := d.Outline()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var outputs [][]byte
	for i, pages := range [][]int{{3, 1}, {2}, {3, 1}} {
		out := filepath.Join(dir, "out.pdf")
		if err := d.WritePages(out, pages); err != nil {
			t.Fatalf("write %d: %v", i+1, err)
		}
		data, _ := os.ReadFile(out)
		outputs = append(outputs, data)
	}
	after, err := d.Outline()
	if err != nil || !slices.Equal(before, after) {
		t.Errorf("outline before %v, after writing %v (%v)", before, after, err)
	}
	if len(outputs[0]) != len(outputs[2]) {
		t.Errorf("the same pages written twice give %d and %d bytes", len(outputs[0]), len(outputs[2]))
	}
}
