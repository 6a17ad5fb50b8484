//go:build linux

package intake

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWritebackKeepsEveryByte(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upload")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := make([]byte, 4*writebackEvery+12345)
	for i := range want {
		want[i] = byte(i * 7)
	}
	w := newWriteback(f)
	for rest := want; len(rest) > 0; {
		n := min(len(rest), 300_001) // chunks that do not fall on the windows
		if _, err := w.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the file holds %d bytes, not the %d written (%v)", len(got), len(want), err)
	}
	if w.off || w.started < 3*writebackEvery || w.waited < 2*writebackEvery {
		t.Errorf("writeback started %d, waited for %d, off %v: it did not move along the upload", w.started, w.waited, w.off)
	}
}
