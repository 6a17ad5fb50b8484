package loop

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/spool"
)

// TestExpireJobs runs retention with an injected clock: a finished job
// loses its print data after spool.retention; active jobs, runs with an
// open loop and runs whose piece histories are kept stay whole.
func TestExpireJobs(t *testing.T) {
	cfg := testConfig(t)
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	day := 24 * time.Hour
	start := time.Now()
	mk := func(j spool.Job) spool.Job {
		t.Helper()
		j.Workflow, j.Printer, j.Input, j.Pieces = "default", "file", "input.pdf", 1
		j, err := d.store.CreateJob(j)
		if err != nil {
			t.Fatal(err)
		}
		dir, _ := d.store.MakeJobDir(j.ID)
		os.WriteFile(filepath.Join(dir, j.Input), []byte("%PDF-1.4"), 0o600)
		d.store.SetPieces(j.ID, []spool.Piece{{Seq: 1, FirstPage: 1, Pages: 1}})
		return j
	}
	done := mk(spool.Job{Name: "done.pdf", State: spool.Completed})
	active := mk(spool.Job{Name: "held.pdf", State: spool.Held})
	open := mk(spool.Job{Name: "open.pdf", State: spool.Completed, Loop: &spool.Loop{Line: "L1", State: spool.LoopOpen}})
	closed := mk(spool.Job{Name: "closed.pdf", State: spool.Completed,
		Loop: &spool.Loop{Line: "L1", State: spool.LoopClosed, Closed: start}})
	reprint := mk(spool.Job{Name: "closed.pdf (reprint 1)", State: spool.Completed, ReprintOf: closed.ID, Generation: 1})

	kept := func(when string, j spool.Job, want bool) {
		t.Helper()
		got, err := d.store.Job(j.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, statErr := os.Stat(d.store.JobDir(j.ID))
		pieces, _ := d.store.Pieces(j.ID)
		has := got.Compacted.IsZero() && statErr == nil && len(pieces) == 1
		if has != want {
			t.Errorf("%s: job %d (%s): data kept %v, want %v (compacted %v, dir %v, %d pieces)",
				when, j.ID, j.Name, has, want, got.Compacted, statErr, len(pieces))
		}
	}
	if n := d.expireJobs(start.Add(cfg.Spool.Retention.Std() - time.Hour)); n != 0 {
		t.Errorf("before the retention: %d jobs compacted", n)
	}
	kept("before the retention", done, true)

	if n := d.expireJobs(start.Add(cfg.Spool.Retention.Std() + day)); n != 1 {
		t.Errorf("after the spool retention: %d jobs compacted, want 1", n)
	}
	kept("after the spool retention", done, false)
	kept("after the spool retention", active, true)
	kept("after the spool retention", open, true)
	kept("after the spool retention", closed, true)
	kept("after the spool retention", reprint, true)

	later := start.Add(cfg.Tracking.Retention.Std() + day)
	if n := d.expireJobs(later); n != 2 {
		t.Errorf("after the tracking retention: %d jobs compacted, want 2", n)
	}
	kept("after the tracking retention", closed, false)
	kept("after the tracking retention", reprint, false)
	kept("after the tracking retention", open, true)
	kept("after the tracking retention", active, true)

	j, _ := d.store.Job(done.ID)
	if j.Name != "done.pdf" || j.State != spool.Completed || j.Pieces != 1 {
		t.Errorf("compacted record = %+v", j)
	}
}
