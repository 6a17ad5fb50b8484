package atomicfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteback: what goes through Writeback is the file's content, in
// writes that do not fall on the chunks; the writeback of each full chunk
// is started as the writes go, and the one before the last waited for.
func TestWriteback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	want := bytes.Repeat([]byte("0123456789abcdef"), (3*writebackChunk)/16)
	_, err := WriteWith(path, 0o644, func(f *os.File) error {
		if _, err := f.Write([]byte("head")); err != nil {
			return err
		}
		w := Writeback(f)
		for b := want; len(b) > 0; b = b[min(len(b), 300_000):] {
			if _, err := w.Write(b[:min(len(b), 300_000)]); err != nil {
				return err
			}
		}
		wb := w.(*writeback)
		if wb.failed || wb.from < 2*writebackChunk || wb.from > int64(len(want)) || wb.waited < writebackChunk {
			t.Errorf("writeback started up to byte %d and waited up to %d of %d (failed %v); want two full chunks started and one waited for",
				wb.from, wb.waited, len(want)+4, wb.failed)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, append([]byte("head"), want...)) {
		t.Fatalf("the file holds %d bytes (%v), want the %d written", len(got), err, len(want)+4)
	}
}
