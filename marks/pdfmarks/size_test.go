package pdfmarks

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/marks"
)

// TestMarksSize measures what marks add to an output: the output with
// the marks of each shipped profile against the same pages unmarked.
// OMR codes repeat from sheet to sheet and share their stream; every
// marks stream is Flate-compressed and a barcode is drawn in module units.
func TestMarksSize(t *testing.T) {
	budget := map[string]int{ // bytes a marked page may add, at most
		"pb-omr": 200, "quadient-omr": 150, "datamatrix-fbp": 450,
	}
	for _, name := range marks.Profiles() {
		p := loadProfile(t, name)
		r := newMailRun(t, 60, false)
		path, sheets := r.write(t, p)
		plain := filepath.Join(t.TempDir(), "plain.pdf")
		if err := r.doc.WritePages(plain, r.pages); err != nil {
			t.Fatal(err)
		}
		a, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.Stat(plain)
		if err != nil {
			t.Fatal(err)
		}
		per := int(a.Size()-b.Size()) / len(sheets)
		t.Logf("%s: %d pages, unmarked %d bytes, marked %d bytes (%.2f×), %d bytes a marked page",
			name, len(r.pages), b.Size(), a.Size(), float64(a.Size())/float64(b.Size()), per)
		if max, ok := budget[name]; !ok || per > max {
			t.Errorf("%s: marks add %d bytes a page, want at most %d", name, per, max)
		}
	}
}
