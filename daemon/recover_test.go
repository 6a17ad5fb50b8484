package daemon

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c := config.Default()
	c.StateDir = t.TempDir()
	return c
}

// TestRecover checks what a restart does to jobs left in each state.
func TestRecover(t *testing.T) {
	cfg := testConfig(t)
	hot := cfg.Path(cfg.HotFolders[0].Dir)
	os.MkdirAll(hot, 0o755)
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		t.Fatal(err)
	}
	mk := func(j spool.Job) int64 {
		j.Workflow, j.Printer, j.Input = "default", "file", "input.pdf"
		j, err := store.CreateJob(j)
		if err != nil {
			t.Fatal(err)
		}
		return j.ID
	}
	sending := mk(spool.Job{Name: "a.pdf", State: spool.Processing, StateReasons: []string{"job-printing"}, Pieces: 1})
	done := mk(spool.Job{Name: "b.pdf", State: spool.Completed, StateReasons: []string{"job-completed-successfully"}, Pieces: 1})
	// Intake cut off before the move: the file is still in the hot folder.
	notMoved := mk(spool.Job{Name: "c.pdf", State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming}, Source: hot})
	os.WriteFile(filepath.Join(hot, "c.pdf"), []byte("%PDF-1.4"), 0o644)
	os.WriteFile(filepath.Join(hot, "c.pdf.done"), nil, 0o644)
	// Intake cut off after the move.
	moved := mk(spool.Job{Name: "d.pdf", State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming}, Source: hot})
	dir, _ := store.MakeJobDir(moved)
	os.WriteFile(filepath.Join(dir, "input.pdf"), []byte("%PDF-1.4"), 0o644)
	// Intake cut off and the file is gone.
	lost := mk(spool.Job{Name: "e.pdf", State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming}, Source: hot})
	// A reprint job cut off while it was set up.
	reprint := mk(spool.Job{Name: "b.pdf (reprint 1)", State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming}, Source: "reprint", ReprintOf: done, Generation: 1})
	rdir, _ := store.MakeJobDir(reprint)
	os.WriteFile(filepath.Join(rdir, "input.pdf"), []byte("%PDF-1.4"), 0o644)
	store.Close()

	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	if err := d.recover(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id     int64
		state  spool.State
		reason string
	}{
		{sending, spool.Pending, "job-queued"},
		{done, spool.Completed, "job-completed-successfully"},
		{notMoved, spool.Pending, "job-queued"},
		{moved, spool.Pending, "job-queued"},
		{lost, spool.Aborted, "aborted-by-system"},
		{reprint, spool.Aborted, "aborted-by-system"},
	}
	for _, tt := range tests {
		j, err := d.store.Job(tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State != tt.state || len(j.StateReasons) != 1 || j.StateReasons[0] != tt.reason {
			t.Errorf("job %d (%s): %s %v; want %s %s", j.ID, j.Name, j.State, j.StateReasons, tt.state, tt.reason)
		}
	}
	if _, err := os.Stat(filepath.Join(d.store.JobDir(notMoved), "input.pdf")); err != nil {
		t.Errorf("the file left in the hot folder was not taken into its job: %v", err)
	}
	for _, left := range []string{"c.pdf", "c.pdf.done"} {
		if _, err := os.Stat(filepath.Join(hot, left)); !os.IsNotExist(err) {
			t.Errorf("%s is still in the hot folder", left)
		}
	}
}
