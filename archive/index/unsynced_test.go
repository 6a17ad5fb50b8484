package index

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// crashed opens an index at a new path, indexes one segment and stops
// without Close, as a killed process does; writeMarker, if set, replaces
// the marker it left.
func crashed(t *testing.T, writeMarker []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index.db")
	x, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := Record{ID: "1-1-0", Job: 1, Seq: 1, Workflow: "w", Channel: "print", Sent: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}
	if err := x.AddSegment("seg1", []Record{r}, 1); err != nil {
		t.Fatal(err)
	}
	x.db.Close() // no sync, marker left
	if writeMarker != nil {
		if err := os.WriteFile(markerPath(path), writeMarker, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestIndexKeptAfterTheProcessWasKilled(t *testing.T) {
	if bootID() == nil {
		t.Skip("no boot ID on this system: any unclean stop empties the index")
	}
	path := crashed(t, nil)
	x, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if n, _ := x.Applied(); x.Dropped() || n != 1 {
		t.Fatalf("after a process kill: dropped %v, applied %d; want the index kept, applied 1", x.Dropped(), n)
	}
	if _, err := x.Get("1-1-0"); err != nil {
		t.Fatal(err)
	}
}

func TestIndexEmptiedAfterASystemCrash(t *testing.T) {
	path := crashed(t, []byte("another-boot\n"))
	x, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := x.Applied()
	if _, err := x.Get("1-1-0"); !x.Dropped() || n != 0 || !errors.Is(err, ErrNotFound) {
		t.Fatalf("after a system crash: dropped %v, applied %d, get %v; want an empty index", x.Dropped(), n, err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(markerPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("marker after Close: %v; want none", err)
	}
	// A clean close leaves nothing to drop, whatever the boot.
	x, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.Dropped() {
		t.Fatal("an index closed cleanly was dropped")
	}
}
