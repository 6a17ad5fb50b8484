package index

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/atomicfile"
)

// The index commits without fsync: a commit that waits for the disk puts
// a third of a large index's pages through it, and the index is derived
// data, rebuilt from the segments and the ledger, which are durable. What
// a commit wrote is in the page cache once it returns, so a process
// killed (kill -9) leaves a whole index behind; only a power loss or an
// operating system crash can leave commits on the disk in part.
//
// So the index is opened with a marker beside it, PATH.unsynced, written
// durably before the first commit and holding the boot ID of the running
// system; Close syncs the index, then removes the marker. A marker left
// by another boot (or any marker where the system has no boot ID) means
// the system went down with commits unsynced: the index file is removed
// and opened empty, and the archive indexes its ledger's segments again.

// bootIDFile names the running system's boot (Linux).
const bootIDFile = "/proc/sys/kernel/random/boot_id"

func markerPath(path string) string { return path + ".unsynced" }

// bootID is the running system's boot ID, nil where there is none.
func bootID() []byte {
	b, err := os.ReadFile(bootIDFile)
	if err != nil {
		return nil
	}
	return bytes.TrimSpace(b)
}

// dropIfCrashed removes the index at path if a marker says the system went
// down while it held unsynced commits; it reports whether it did.
func dropIfCrashed(path string) (bool, error) {
	m, err := os.ReadFile(markerPath(path))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the archive index's marker: %w", err)
	}
	if boot := bootID(); boot != nil && bytes.Equal(bytes.TrimSpace(m), boot) {
		return false, nil // the process stopped, the system did not: the page cache kept every commit
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("removing an archive index left unsynced by a system crash: %w", err)
	}
	return true, nil
}

// markUnsynced writes the marker durably, before the first unsynced commit.
func markUnsynced(path string) error {
	if _, err := atomicfile.WriteFile(markerPath(path), bytes.NewReader(bootID()), 0o600); err != nil {
		return fmt.Errorf("writing the archive index's marker: %w", err)
	}
	return nil
}

// markSynced removes the marker of an index synced and closed.
func markSynced(path string) error {
	if err := os.Remove(markerPath(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return atomicfile.SyncDir(filepath.Dir(path))
}
