package prof

import (
	"os"
	"path/filepath"
	"testing"
)

// TestProfiles: both profiles are written where asked, and an empty CPU
// path profiles nothing.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	stop, err := StartCPU(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if err := WriteHeap(filepath.Join(dir, "heap.pprof")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"cpu.pprof", "heap.pprof"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v, %v; want a profile", name, st, err)
		}
	}
	stop, err = StartCPU("")
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if err := WriteHeap(filepath.Join(dir, "missing", "heap.pprof")); err == nil {
		t.Error("a heap profile into a missing folder: no error")
	}
}
