package pdf

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// TestWriteInfo: an output with Info carries that document information
// (text strings, UTF-16 for non-ASCII), as pdfinfo reads it, in place of
// the input's.
func TestWriteInfo(t *testing.T) {
	pdfinfo := pdftest.NeedTool(t, "pdfinfo", "poppler-utils")
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{2, 1}, Bookmarks: true}))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "piece.pdf")
	err = d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{1, 2}, Info: map[string]string{
		"Title": "run.pdf, piece 1", "Author": "Müller (Bank)", "account": "A0001"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(pdfinfo, "-custom", out).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, b)
	}
	for _, want := range []string{"Title:           run.pdf, piece 1", "Author:          Müller (Bank)", "account:         A0001"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, b)
		}
	}
	if text := pdftest.PageTexts(t, out); len(text) != 2 || text[0] != pdftest.PageText(0, 0) {
		t.Errorf("pages %q", text)
	}
}
