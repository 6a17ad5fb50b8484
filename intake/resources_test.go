package intake

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

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/intake/hotfolder"
	"github.com/omsd/omsd/internal/spacetest"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// withSpace gives s the monitor m, as the daemon does.
func withSpace(s *Service, m *diskspace.Monitor) {
	s.space, s.hold = m, jobs.NewHolder(s.pub, m, zerolog.Nop())
}

// TestIntakeRetriesCreateNoJobs offers a file again and again while the
// spool has too little space, then after its move failed for want of
// space: intake creates no job while paused, and one job in all.
func TestIntakeRetriesCreateNoJobs(t *testing.T) {
	cfg := testConfig(t)
	s, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.store.Close()
	withSpace(s, spacetest.Short(t, cfg.StateDir))
	hot := cfg.Path(cfg.HotFolders[0].Dir)
	os.MkdirAll(hot, 0o755)
	path := filepath.Join(hot, "a.pdf")
	os.WriteFile(path, []byte("%PDF-1.4\n"), 0o644)
	a := hotfolder.Arrival{Path: path, Workflow: "default"}

	for range 5 {
		err := s.takeArrival(context.Background(), a)
		if !errors.Is(err, diskspace.ErrNotReady) || !errors.Is(err, hotfolder.ErrDeferred) {
			t.Fatalf("takeArrival while space is low: %v; want a deferral for want of space", err)
		}
	}
	if _, err := s.submit(context.Background(), api.SubmitOptions{Name: "b.pdf"}, strings.NewReader("%PDF-1.4\n")); !errors.Is(err, api.ErrUnavailable) {
		t.Errorf("submit while space is low: %v; want ErrUnavailable", err)
	}
	if js, _ := s.store.Jobs(); len(js) != 0 {
		t.Fatalf("%d jobs created while intake was paused", len(js))
	}

	withSpace(s, spacetest.Plenty(t, cfg.StateDir))
	// The first try gets a job, and the move fails for want of space.
	in, err := newIntake(a, "input.pdf", "")
	if err != nil {
		t.Fatal(err)
	}
	j, err := s.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Pending,
		StateReasons: []string{jobs.ReasonIncoming}, Source: hot, Input: "input.pdf", Intake: in})
	if err != nil {
		t.Fatal(err)
	}
	enospc := &fs.PathError{Op: "write", Path: s.store.JobDir(j.ID), Err: syscall.ENOSPC}
	if err := s.intakeFailed(j, enospc); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("intakeFailed(ENOSPC) = %v", err)
	}
	held, _ := s.store.Job(j.ID)
	if !jobs.HeldForResources(held) || !jobs.Incoming(held) || !strings.Contains(held.Message, "no space left on") {
		t.Fatalf("after ENOSPC in intake: %s %v %q", held.State, held.StateReasons, held.Message)
	}
	if err := s.takeArrival(context.Background(), a); !errors.Is(err, diskspace.ErrNotReady) {
		t.Fatalf("takeArrival right after ENOSPC: %v; want ErrNotReady", err)
	}

	// Space is back: the daemon resumes the job, the file's next offer
	// continues it.
	withSpace(s, spacetest.Plenty(t, cfg.StateDir))
	s.pub.Update(j.ID, func(j *spool.Job) error { j.State, j.StateReasons = jobs.Resumed(*j); return nil })
	if err := s.takeArrival(context.Background(), a); err != nil {
		t.Fatalf("takeArrival once space is back: %v", err)
	}
	js, _ := s.store.Jobs()
	if len(js) != 1 || js[0].ID != j.ID || jobs.Incoming(js[0]) || js[0].State != spool.Pending || slices.Contains(js[0].StateReasons, jobs.ReasonResources) {
		t.Fatalf("jobs after the retry: %+v; want job %d continued and queued", js, j.ID)
	}
	if fileExists(path) || !fileExists(filepath.Join(s.store.JobDir(j.ID), "input.pdf")) {
		t.Error("the file was not moved into its job")
	}
}
