package afp

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// openBench writes a 100,000-page run into the benchmark's temporary
// directory and opens it.
func openBench(b *testing.B) (*os.File, int64) {
	return openRun(b, afptest.Options{Pages: 100000})
}

// openRun writes a run into the benchmark's temporary directory and opens
// it.
func openRun(b *testing.B, opt afptest.Options) (*os.File, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "run.afp")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	gt, err := afptest.Write(f, opt)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	if f, err = os.Open(path); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f, gt.Size
}

// BenchmarkIndex indexes a 100,000-page run from a file.
func BenchmarkIndex(b *testing.B) {
	f, size := openBench(b)
	b.SetBytes(size)
	for b.Loop() {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		if _, err := BuildIndex(f, IndexOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexSmallPages indexes a run of 300,000 small pages (about 3.3
// million fields) in one pass, BenchmarkIndexAtSmallPages on every core.
func BenchmarkIndexSmallPages(b *testing.B) {
	f, size := openRun(b, afptest.Options{Pages: 300000, SmallPages: true})
	b.SetBytes(size)
	for b.Loop() {
		if _, err := BuildIndex(io.NewSectionReader(f, 0, size), IndexOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndexAtSmallPages(b *testing.B) {
	f, size := openRun(b, afptest.Options{Pages: 300000, SmallPages: true})
	b.SetBytes(size)
	for b.Loop() {
		if _, err := BuildIndexAt(f, size, IndexOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteOutput writes all pieces of a 100,000-page run, sorted by
// postcode, to one output.
func BenchmarkWriteOutput(b *testing.B) {
	f, size := openBench(b)
	idx, err := BuildIndex(f, IndexOptions{})
	if err != nil {
		b.Fatal(err)
	}
	order := byPostcode(idx)
	b.SetBytes(size)
	for b.Loop() {
		if err := WriteOutput(io.Discard, f, idx, order, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCopy reads the same file as io.Copy does, for comparison.
func BenchmarkCopy(b *testing.B) {
	f, size := openBench(b)
	b.SetBytes(size)
	for b.Loop() {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, struct{ io.Reader }{f}); err != nil {
			b.Fatal(err)
		}
	}
}
