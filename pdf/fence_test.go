package pdf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// TestNoConfigDir checks that using the package creates no pdfcpu
// configuration directory. It must run before any other test here uses
// pdfcpu, which is why it lives in the first test file.
func TestNoConfigDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{1, 2}, Bookmarks: true}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Outline(); err != nil {
		t.Fatal(err)
	}
	if err := d.WritePages(filepath.Join(t.TempDir(), "out.pdf"), []int{3, 1}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("home directory holds %v after use", entries)
	}
}

func TestGuard(t *testing.T) {
	f := func() (err error) {
		defer guard(&err, "doc.pdf")
		var m map[string]int
		m["x"]++ // panics
		return nil
	}
	err := f()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "doc.pdf") {
		t.Fatalf("error %v, want ErrDamaged naming the file", err)
	}
	ok := func() (err error) {
		defer guard(&err, "doc.pdf")
		return nil
	}
	if err := ok(); err != nil {
		t.Fatalf("error %v without a panic", err)
	}
}
