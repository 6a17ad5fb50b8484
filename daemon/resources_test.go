package daemon

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// TestRestartResumesResourceHolds: after a restart, a file whose intake a
// full disk stopped is taken into its job, and the jobs held for resources
// resume once space is there; an operator's hold stays.
func TestRestartResumesResourceHolds(t *testing.T) {
	cfg := testConfig(t)
	cfg.Spool.MinFree = "0"
	hot := cfg.Path(cfg.HotFolders[0].Dir)
	os.MkdirAll(hot, 0o755)
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		t.Fatal(err)
	}
	inIntake, _ := store.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Held,
		StateReasons: []string{jobs.ReasonResources, jobs.ReasonIncoming}, Source: hot, Input: "input.pdf"})
	os.WriteFile(filepath.Join(hot, "a.pdf"), []byte("%PDF-1.4\n"), 0o644)
	inAnalysis, _ := store.CreateJob(spool.Job{Name: "b.pdf", Workflow: "default", Printer: "file", State: spool.Held,
		StateReasons: []string{jobs.ReasonResources}, Source: "api", Input: "input.pdf"})
	opHeld, _ := store.CreateJob(spool.Job{Name: "c.pdf", Workflow: "default", Printer: "file", State: spool.Held,
		StateReasons: []string{jobs.ReasonResources, jobs.ReasonHoldSpecified}, Source: "api", Input: "input.pdf"})
	store.Close()

	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	if err := d.recover(); err != nil {
		t.Fatal(err)
	}
	d.spaceReturned() // what watchSpace does first when space is there
	want := map[int64]spool.State{inIntake.ID: spool.Pending, inAnalysis.ID: spool.Pending, opHeld.ID: spool.Held}
	for id, st := range want {
		j, _ := d.store.Job(id)
		if j.State != st || jobs.HeldForResources(j) || jobs.Incoming(j) {
			t.Errorf("job %d after the restart: %s %v; want %s, no longer held for resources", id, j.State, j.StateReasons, st)
		}
	}
	if _, err := os.Stat(filepath.Join(hot, "a.pdf")); err == nil {
		t.Error("the file whose intake was stopped is still in the hot folder")
	}
	if _, err := os.Stat(filepath.Join(d.store.JobDir(inIntake.ID), "input.pdf")); err != nil {
		t.Errorf("the file whose intake was stopped is not in its job: %v", err)
	}
	if st := d.intakeStatus(); st.Paused || len(st.Filesystems) == 0 {
		t.Errorf("intake status with space: %+v", st)
	}
}
