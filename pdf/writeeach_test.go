package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// TestWriteEachMatchesWriteOutputs: each part written in memory is the
// file WriteOutputs writes for the same pages.
func TestWriteEachMatchesWriteOutputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := pdftest.WriteFile(in, pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true}); err != nil {
		t.Fatal(err)
	}
	d, err := Open(in)
	if err != nil {
		t.Fatal(err)
	}
	parts := [][]int{{1, 2}, {3}, {4, 5, 6}}
	var specs []OutputSpec
	for i, p := range parts {
		specs = append(specs, OutputSpec{Path: filepath.Join(dir, string(rune('a'+i))+".pdf"), Pages: p})
	}
	if err := d.WriteOutputs(specs); err != nil {
		t.Fatal(err)
	}
	n := 0
	err = d.WriteEach(specs, func(i int, data []byte) error {
		want, err := os.ReadFile(specs[i].Path)
		if err != nil || !bytes.Equal(data, want) {
			t.Errorf("part %d: %d bytes in memory, %d in the file (%v)", i+1, len(data), len(want), err)
		}
		n++
		return nil
	})
	if err != nil || n != len(parts) {
		t.Fatalf("WriteEach: %d parts, %v", n, err)
	}
	if err := d.WriteEach([]OutputSpec{{Path: "x", Pages: []int{7}}}, func(int, []byte) error { return nil }); err == nil {
		t.Error("a page past the end was written")
	}
}
