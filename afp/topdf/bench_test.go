package topdf

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// BenchmarkTransformText transforms a generated text run (bench/topdf/gen
// afp N > $TOPDF_BENCH_AFP); skipped without it.
func BenchmarkTransformText(b *testing.B) {
	path := os.Getenv("TOPDF_BENCH_AFP")
	if path == "" {
		b.Skip("set TOPDF_BENCH_AFP to a file from bench/topdf/gen")
	}
	in, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Transform(bytes.NewReader(in), io.Discard, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
