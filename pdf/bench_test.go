package pdf

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// benchRun writes a run of n one-page pieces with bookmarks and a document
// part tree, and opens it.
func benchRun(b *testing.B, n int) *Doc {
	b.Helper()
	pieces := make([]int, n)
	for i := range pieces {
		pieces[i] = 1
	}
	path := filepath.Join(b.TempDir(), "run.pdf")
	if err := pdftest.WriteFile(path, pdftest.Options{Pieces: pieces, Bookmarks: true, Balanced: true, DPart: true}); err != nil {
		b.Fatal(err)
	}
	d, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkOutline reads outlines of 1,000 to 100,000 bookmarks: the time
// per bookmark stays flat if reading is linear.
func BenchmarkOutline(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			d := benchRun(b, n)
			for b.Loop() {
				if entries, err := d.Outline(); err != nil || len(entries) != n {
					b.Fatalf("%d entries, %v", len(entries), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/bookmark")
		})
	}
}

// BenchmarkDParts reads document part trees of 1,000 to 100,000 records.
func BenchmarkDParts(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			d := benchRun(b, n)
			for b.Loop() {
				if records, err := d.DParts(); err != nil || len(records) != n {
					b.Fatalf("%d records, %v", len(records), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
		})
	}
}

// BenchmarkOpen opens runs of 1,000 to 100,000 pages.
func BenchmarkOpen(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := benchRun(b, n).Path()
			for b.Loop() {
				if _, err := Open(path); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/page")
		})
	}
}
