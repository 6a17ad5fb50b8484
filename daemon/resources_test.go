package daemon

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/hotfolder"
	"github.com/omsd/omsd/spool"
)

// TestIntakeRetriesCreateNoJobs offers a file again and again while the
// spool has too little space, then after its move failed for want of
// space: intake creates no job while paused, and one job in all.
func TestIntakeRetriesCreateNoJobs(t *testing.T) {
	cfg := testConfig(t)
	cfg.Spool.MinFree = "99.99%" // no real filesystem is that empty
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	hot := cfg.Path(cfg.HotFolders[0].Dir)
	os.MkdirAll(hot, 0o755)
	path := filepath.Join(hot, "a.pdf")
	os.WriteFile(path, []byte("%PDF-1.4\n"), 0o644)
	a := hotfolder.Arrival{Path: path, Workflow: "default"}

	for range 5 {
		if err := d.takeArrival(context.Background(), a); !errors.Is(err, diskspace.ErrNotReady) {
			t.Fatalf("takeArrival while space is low: %v; want ErrNotReady", err)
		}
	}
	if _, err := d.submit(context.Background(), api.SubmitOptions{Name: "b.pdf"}, strings.NewReader("%PDF-1.4\n")); !errors.Is(err, api.ErrUnavailable) {
		t.Errorf("submit while space is low: %v; want ErrUnavailable", err)
	}
	if jobs, _ := d.store.Jobs(); len(jobs) != 0 {
		t.Fatalf("%d jobs created while intake was paused", len(jobs))
	}
	if st := d.intakeStatus(); !st.Paused || st.Reason == "" || len(st.Filesystems) == 0 {
		t.Errorf("intake status while space is low: %+v", st)
	}

	cfg.Spool.MinFree = "0"
	if d.space, err = newSpaceMonitor(d); err != nil {
		t.Fatal(err)
	}
	// The first try gets a job, and the move fails for want of space.
	in, err := newIntake(a, "input.pdf", "")
	if err != nil {
		t.Fatal(err)
	}
	j, err := d.createJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Pending,
		StateReasons: []string{reasonIncoming}, Source: hot, Input: "input.pdf", Intake: in})
	if err != nil {
		t.Fatal(err)
	}
	enospc := &fs.PathError{Op: "write", Path: d.store.JobDir(j.ID), Err: syscall.ENOSPC}
	if err := d.intakeFailed(j, enospc); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("intakeFailed(ENOSPC) = %v", err)
	}
	held, _ := d.store.Job(j.ID)
	if held.State != spool.Held || !slices.Contains(held.StateReasons, reasonResources) || !incoming(held) {
		t.Fatalf("after ENOSPC in intake: %s %v", held.State, held.StateReasons)
	}
	if err := d.takeArrival(context.Background(), a); !errors.Is(err, diskspace.ErrNotReady) {
		t.Fatalf("takeArrival right after ENOSPC: %v; want ErrNotReady", err)
	}
	d.space, _ = newSpaceMonitor(d) // space is back
	d.spaceReturned()               // as the watcher does
	if err := d.takeArrival(context.Background(), a); err != nil {
		t.Fatalf("takeArrival once space is back: %v", err)
	}
	jobs, _ := d.store.Jobs()
	if len(jobs) != 1 || jobs[0].ID != j.ID || incoming(jobs[0]) || jobs[0].State != spool.Pending {
		t.Fatalf("jobs after the retry: %+v; want job %d reused and queued", jobs, j.ID)
	}
	if fileExists(path) || !fileExists(filepath.Join(d.store.JobDir(j.ID), "input.pdf")) {
		t.Error("the file was not moved into the reused job")
	}
}

// TestAnalysisResourceErrorHolds: a job whose analysis ran out of space is
// held with the reason, not aborted, and an operator can release it; an
// aborted job is released while its print file is in the spool, and told
// why not once it is gone.
func TestAnalysisResourceErrorHolds(t *testing.T) {
	cfg := testConfig(t)
	cfg.Spool.MinFree = "0"
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	mk := func(state spool.State) spool.Job {
		j, err := d.createJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: state,
			StateReasons: []string{"job-queued"}, Source: "api", Input: "input.pdf"})
		if err != nil {
			t.Fatal(err)
		}
		dir, _ := d.store.MakeJobDir(j.ID)
		os.WriteFile(filepath.Join(dir, "input.pdf"), []byte("%PDF-1.4\n"), 0o644)
		return j
	}
	j := mk(spool.Pending)
	d.reject(j, &fs.PathError{Op: "write", Path: filepath.Join(d.store.JobDir(j.ID), "main.pdf"), Err: syscall.ENOSPC})
	got, _ := d.store.Job(j.ID)
	if got.State != spool.Held || !slices.Contains(got.StateReasons, reasonResources) {
		t.Fatalf("after ENOSPC in analysis: %s %v %q; want held for resources", got.State, got.StateReasons, got.Message)
	}
	for _, want := range []string{"no space left on", "main.pdf", "resumes by itself", "min_free"} {
		if !strings.Contains(got.Message, want) {
			t.Errorf("message %q lacks %q", got.Message, want)
		}
	}
	if d.space.State().Open {
		t.Error("the gate is open after a resource error")
	}
	b := backend{d}
	if r, err := b.Release(context.Background(), j.ID); err != nil || r.State != "pending" {
		t.Fatalf("release of a job held for resources: %+v %v", r, err)
	}

	aborted := mk(spool.Aborted)
	if r, err := b.Release(context.Background(), aborted.ID); err != nil || r.State != "pending" {
		t.Fatalf("release of an aborted job with its file: %+v %v", r, err)
	}
	gone := mk(spool.Aborted)
	os.Remove(filepath.Join(d.store.JobDir(gone.ID), "input.pdf"))
	_, err = b.Release(context.Background(), gone.ID)
	if err == nil || !strings.Contains(err.Error(), "no longer in the spool") {
		t.Fatalf("release of an aborted job without its file: %v", err)
	}
	if _, _, err := d.restart(gone.ID, api.JobRestart{}); err == nil || !strings.Contains(err.Error(), "no longer in the spool") {
		t.Fatalf("restart of an aborted job without its file: %v", err)
	}
	again := mk(spool.Aborted)
	if r, _, err := d.restart(again.ID, api.JobRestart{}); err != nil || r.State != spool.Pending {
		t.Fatalf("restart of an aborted job never analysed: %+v %v", r, err)
	}
}

// TestReprintWaitsForSpace: no reprint job is set up while omsd waits for
// space, so reconciliations that retry create none.
func TestReprintWaitsForSpace(t *testing.T) {
	cfg := testConfig(t)
	cfg.Spool.MinFree = "99.99%"
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	root, err := d.createJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Completed,
		StateReasons: []string{"job-completed-successfully"}, Input: "input.pdf", Pieces: 2,
		Outputs: []spool.Output{{Name: "main", File: "output.pdf", Seqs: []int{1, 2}, Sent: true, Confirmed: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := d.reprint(runStatus{root: root}, []int{2}, "", "damaged"); !errors.Is(err, api.ErrUnavailable) || !errors.Is(err, diskspace.ErrNotReady) {
			t.Fatalf("reprint while space is low: %v", err)
		}
	}
	if jobs, _ := d.store.Jobs(); len(jobs) != 1 {
		t.Fatalf("%d jobs; want the run's only", len(jobs))
	}
}

// TestRestartResumesResourceHolds: after a restart, a file whose intake a
// full disk stopped is taken into its job, and jobs held for resources
// resume once space is there.
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
		StateReasons: []string{reasonResources, reasonIncoming}, Source: hot, Input: "input.pdf"})
	os.WriteFile(filepath.Join(hot, "a.pdf"), []byte("%PDF-1.4\n"), 0o644)
	inAnalysis, _ := store.CreateJob(spool.Job{Name: "b.pdf", Workflow: "default", Printer: "file", State: spool.Held,
		StateReasons: []string{reasonResources}, Source: "api", Input: "input.pdf"})
	opHeld, _ := store.CreateJob(spool.Job{Name: "c.pdf", Workflow: "default", Printer: "file", State: spool.Held,
		StateReasons: []string{reasonResources, reasonHoldSpecified}, Source: "api", Input: "input.pdf"})
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
		if j.State != st || slices.Contains(j.StateReasons, reasonResources) || incoming(j) {
			t.Errorf("job %d after the restart: %s %v; want %s, no longer held for resources", id, j.State, j.StateReasons, st)
		}
	}
	if fileExists(filepath.Join(hot, "a.pdf")) || !fileExists(filepath.Join(d.store.JobDir(inIntake.ID), "input.pdf")) {
		t.Error("the file whose intake was stopped was not taken into its job")
	}
}

// TestFilePrinterWaitsForSpace: a file printer whose directory is short
// of space claims nothing; it claims the output once space is there.
func TestFilePrinterWaitsForSpace(t *testing.T) {
	cfg := testConfig(t)
	cfg.Spool.MinFree = "99.99%"
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	j, err := d.createJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Pending,
		StateReasons: []string{"job-queued"}, Input: "input.pdf", Pieces: 1,
		Outputs: []spool.Output{{Name: "main", File: "output.pdf", Seqs: []int{1}, Printer: "file"}}})
	if err != nil {
		t.Fatal(err)
	}
	q := d.printers["file"]
	if k, _ := d.claimNext(q); k != nil {
		t.Fatalf("the file printer claimed output %+v with its directory short of space", *k)
	}
	cfg.Spool.MinFree = "0"
	d.space, _ = newSpaceMonitor(d)
	if k, _ := d.claimNext(q); k == nil || k.job != j.ID {
		t.Fatalf("claimed %v once space is there; want job %d", k, j.ID)
	}
}

// TestCompactedJobCannotBeRestarted: a job whose print data retention
// removed is refused with the reason.
func TestCompactedJobCannotBeRestarted(t *testing.T) {
	cfg := testConfig(t)
	cfg.Spool.MinFree = "0"
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	err = d.inputInSpool(spool.Job{ID: 9, Input: "input.pdf", Compacted: at})
	if err == nil || !strings.Contains(err.Error(), "removed by spool.retention on 2026-03-01") {
		t.Fatalf("inputInSpool of a compacted job: %v", err)
	}
}
