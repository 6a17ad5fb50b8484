package afp

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// samplesDir holds the public AFP samples, each with its origin and
// license in the README beside them.
const samplesDir = "testdata/samples"

// samples returns the paths of the sample files, failing the test when the
// directory is missing.
func samples(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(samplesDir, "*.afp"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no AFP samples in %s (the samples ship in afp/testdata/samples): %v", samplesDir, err)
	}
	return paths
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir, name))
	if err != nil {
		t.Fatalf("sample %s (the samples ship in afp/testdata/samples): %v", name, err)
	}
	return b
}

// roundTrip reads every field of in and writes it back.
func roundTrip(in []byte) ([]byte, int, error) {
	var out bytes.Buffer
	w := NewWriter(&out)
	r := NewReader(bytes.NewReader(in))
	n := 0
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, n, err
		}
		if err := w.WriteField(f); err != nil {
			return nil, n, err
		}
		n++
	}
	if err := w.Flush(); err != nil {
		return nil, n, err
	}
	return out.Bytes(), n, nil
}

func TestRoundTripSamples(t *testing.T) {
	for _, path := range samples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out, n, err := roundTrip(in)
			if err != nil {
				t.Fatalf("after %d fields: %v", n, err)
			}
			if !bytes.Equal(in, out) {
				t.Fatalf("%d fields written back differ from the %d input bytes (got %d bytes)", n, len(in), len(out))
			}
		})
	}
}

// TestGoldenSamples compares each sample's field dump and index with the
// golden text in testdata (go test ./afp -update rewrites them).
func TestGoldenSamples(t *testing.T) {
	for _, path := range samples(t) {
		base := strings.TrimSuffix(filepath.Base(path), ".afp")
		t.Run(base, func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, base+".fields", dumpFields(bytes.NewReader(in)))
			idx, err := BuildIndex(bytes.NewReader(in), IndexOptions{})
			text := ""
			if err != nil {
				text = "error: " + err.Error() + "\n"
			} else {
				text = dumpIndex(idx)
			}
			golden(t, base+".index", text)
		})
	}
}

// golden compares got with testdata/name.golden, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./afp -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n--- got\n%s--- want\n%s", name, path, got, want)
	}
}
