package spool

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// releaseFixture copies the spool written by the first release into a new
// directory and returns it.
func releaseFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/release-0.1/spool.db")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, dbFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOpenReleaseSpool: a spool written by an earlier omsd opens, is
// brought to the current schema, and its jobs, pieces and events read as
// they were written.
func TestOpenReleaseSpool(t *testing.T) {
	s := openStore(t, releaseFixture(t))
	if v, want := versionOf(t, s), migrations[len(migrations)-1].version; v != want {
		t.Errorf("schema version %d after opening, want %d", v, want)
	}
	held, err := s.Job(1)
	if err != nil || held.State != Held || !slices.Contains(held.StateReasons, "job-hold-until-specified") || held.Name != "held.pdf" {
		t.Errorf("job 1 = %+v, %v; want held.pdf held until released", held, err)
	}
	done, err := s.Job(2)
	if err != nil || done.State != Completed || done.Pieces != 12 || done.SheetsSent != 21 {
		t.Errorf("job 2 = %+v, %v; want letters.pdf completed, 12 pieces, 21 sheets sent", done, err)
	}
	if pieces, err := s.Pieces(2); err != nil || len(pieces) != 12 {
		t.Errorf("job 2 pieces: %d, %v; want 12", len(pieces), err)
	}
	if events, err := s.JobEvents(2); err != nil || len(events) == 0 {
		t.Errorf("job 2 events: %v, %v", events, err)
	}
	if n, err := s.CountJobs(); err != nil || n[Held] != 1 || n[Completed] != 1 {
		t.Errorf("counts %v, %v; want one held and one completed (the indexes read)", n, err)
	}
	if j, err := s.CreateJob(Job{Name: "next.pdf"}); err != nil || j.ID != 3 {
		t.Errorf("a new job after the upgrade: %+v, %v; want job 3", j, err)
	}
}

// TestDowngradeRefusesAndLeavesTheSpool: an omsd older than the spool's
// schema (a downgrade) refuses to open it, says what to do, and changes
// nothing in it.
func TestDowngradeRefusesAndLeavesTheSpool(t *testing.T) {
	dir := releaseFixture(t)
	db, err := bbolt.Open(filepath.Join(dir, dbFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	newer := migrations[len(migrations)-1].version + 1
	if err := db.Update(func(tx *bbolt.Tx) error { return setSchemaVersion(tx, newer) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(filepath.Join(dir, dbFile))

	s, err := Open(dir)
	if err == nil {
		s.Close()
		t.Fatal("an omsd opened a spool of a newer schema")
	}
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("error %v, want ErrSchemaTooNew", err)
	}
	for _, want := range []string{"written by a newer omsd", "install that version again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	after, _ := os.ReadFile(filepath.Join(dir, dbFile))
	if !bytes.Equal(before, after) {
		t.Error("the refused spool was changed")
	}
}
