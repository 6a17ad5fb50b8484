package analysis

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/internal/spacetest"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// withSpace gives s the monitor m, as the daemon does.
func withSpace(s *Service, m *diskspace.Monitor) {
	s.space, s.hold = m, jobs.NewHolder(s.pub, m, zerolog.Nop())
}

func waitingJob(t *testing.T, s *Service) spool.Job {
	t.Helper()
	j, err := s.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Pending,
		StateReasons: []string{"job-queued"}, Source: "api", Input: "input.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := s.store.MakeJobDir(j.ID)
	os.WriteFile(filepath.Join(dir, "input.pdf"), []byte("%PDF-1.4\n"), 0o644)
	return j
}

// TestAnalysisResourceErrorHolds: a job whose analysis ran out of space is
// held with the reason and omsd's text, not aborted; the gate closes, and
// analysis leaves the job alone until it is resumed.
func TestAnalysisResourceErrorHolds(t *testing.T) {
	s := newTestService(t)
	withSpace(s, spacetest.Plenty(t, s.cfg.StateDir))
	j := waitingJob(t, s)
	s.reject(j, &fs.PathError{Op: "write", Path: filepath.Join(s.store.JobDir(j.ID), "output.pdf"), Err: syscall.ENOSPC})
	got, _ := s.store.Job(j.ID)
	if !jobs.HeldForResources(got) {
		t.Fatalf("after ENOSPC in analysis: %s %v %q; want held for resources", got.State, got.StateReasons, got.Message)
	}
	for _, want := range []string{"analysing a.pdf: no space left on", "output.pdf", "resumes by itself", "min_free"} {
		if !strings.Contains(got.Message, want) {
			t.Errorf("message %q lacks %q", got.Message, want)
		}
	}
	if s.space.State().Open {
		t.Error("the gate is open after a resource error")
	}
	if needsAnalysis(got) {
		t.Error("a job held for resources is analysed again before it is resumed")
	}
}

// TestAnalysisWaitsForSpace: while the gate is closed, a waiting job is
// held with the reason instead of analysed.
func TestAnalysisWaitsForSpace(t *testing.T) {
	s := newTestService(t)
	withSpace(s, spacetest.Short(t, s.cfg.StateDir))
	j := waitingJob(t, s)
	a := newAnalyzers(1, func(context.Context, spool.Job) { t.Error("analysed while space is short") })
	s.startAnalyses(context.Background(), a)
	a.wg.Wait()
	got, _ := s.store.Job(j.ID)
	if !jobs.HeldForResources(got) || !strings.HasPrefix(got.Message, "waiting for space: ") {
		t.Fatalf("job %s %v %q; want held, waiting for space", got.State, got.StateReasons, got.Message)
	}
}
