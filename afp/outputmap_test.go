package afp

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// mappedInput writes in to a file and opens it.
func mappedInput(t *testing.T, in []byte) (*os.File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.afp")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, path
}

// TestWriteOutputMapped: an input file walked through its mapping gives
// the same bytes as one read in blocks, with every hook, in input order
// and reversed.
func TestWriteOutputMapped(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 1500, Seed: 35})
	idx := mustIndex(t, in, IndexOptions{})
	f, _ := mappedInput(t, in)
	forward := make([]int, len(idx.Pieces))
	for i := range forward {
		forward[i] = i + 1
	}
	backward := slices.Clone(forward)
	slices.Reverse(backward)
	if m := mapInput(f, idx, forward, runHooks()["own"], 0); m == nil {
		t.Fatal("the input file is not mapped")
	} else {
		m.Unmap()
	}
	for name, hook := range runHooks() {
		for _, order := range [][]int{forward, backward} {
			var mapped, read bytes.Buffer
			if err := writeOutputMapping(&mapped, f, idx, order, hook, 0); err != nil {
				t.Fatalf("hook %s, mapped: %v", name, err)
			}
			if err := WriteOutput(&read, bytes.NewReader(in), idx, order, hook); err != nil {
				t.Fatalf("hook %s, read: %v", name, err)
			}
			if !bytes.Equal(mapped.Bytes(), read.Bytes()) {
				t.Fatalf("hook %s, order %v…: mapped %d bytes, read %d, not the same", name, order[:1], mapped.Len(), read.Len())
			}
		}
	}
}

// TestWriteOutputMappedTruncated: an input cut short while its mapping is
// walked (here by the hook, half way) gives ErrTruncated, not a crash; so
// does an input already shorter than its index when the output starts.
func TestWriteOutputMappedTruncated(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 1500, Seed: 36})
	idx := mustIndex(t, in, IndexOptions{})
	order := make([]int, len(idx.Pieces))
	for i := range order {
		order[i] = i + 1
	}
	f, path := mappedInput(t, in)
	pages := 0
	err := writeOutputMapping(io.Discard, f, idx, order, func(*Piece, PagePlace) []*Field {
		if pages++; pages == 700 {
			if err := os.Truncate(path, 4096); err != nil {
				t.Error(err)
			}
		}
		return nil
	}, 0)
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("input cut short during the output: %v, want ErrTruncated", err)
	}
	t.Logf("cut short during the output: %v", err)

	f2, path2 := mappedInput(t, in)
	if err := os.Truncate(path2, int64(len(in))/2); err != nil {
		t.Fatal(err)
	}
	err = writeOutputMapping(io.Discard, f2, idx, order, runHooks()["own"], 0)
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("input shorter than its index: %v, want ErrTruncated", err)
	}
}
