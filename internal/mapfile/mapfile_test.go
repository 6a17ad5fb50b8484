package mapfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestMapReadsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	want := bytes.Repeat([]byte("0123456789"), 100_000)
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Map(f, int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	m.Sequential()
	for off := int64(0); off < int64(len(want)); off += 4096 {
		m.Touched(off, off+4096) // drops past the budget; the bytes come back
	}
	if !bytes.Equal(m.Bytes(), want) {
		t.Fatal("the mapping differs from the file")
	}
	if err := m.Unmap(); err != nil {
		t.Fatal(err)
	}
	if err := m.Unmap(); err != nil {
		t.Fatalf("second Unmap: %v", err)
	}
}

var sink byte

// A file cut short under its mapping: reading the lost part is a fault
// that CatchFaults turns into a panic IsFault recognizes.
func TestFaultOnTruncatedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Map(f, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Unmap()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	faulted := func() (fault bool) {
		defer CatchFaults()()
		defer func() { fault = IsFault(recover()) }()
		sink = m.Bytes()[1<<19]
		return false
	}()
	if !faulted {
		t.Fatal("reading past the end of a truncated mapped file did not fault")
	}
	if IsFault(nil) || IsFault("boom") {
		t.Fatal("IsFault took a non-fault for a fault")
	}
}

func TestMapRefusesEmpty(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Map(f, 0); err == nil {
		t.Fatal("mapping 0 bytes succeeded")
	}
}
