package queues

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/internal/spacetest"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

func newTestService(t *testing.T) *Service {
	t.Helper()
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	pub, err := events.NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, store, pub, nil, events.NewSignal(), nil, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// jobWithInput records a job in state st with reasons and its print file.
func jobWithInput(t *testing.T, s *Service, st spool.State, reasons ...string) spool.Job {
	t.Helper()
	j, err := s.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: st,
		StateReasons: reasons, Source: "api", Input: "input.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := s.store.MakeJobDir(j.ID)
	os.WriteFile(filepath.Join(dir, "input.pdf"), []byte("%PDF-1.4\n"), 0o644)
	return j
}

// TestReleaseRestartAborted: jobs held for resources and aborted jobs
// whose print file is in the spool are released and restarted (a job
// never analysed goes back to analysis); without the file, or after
// retention, the operator is told why not.
func TestReleaseRestartAborted(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	held := jobWithInput(t, s, spool.Held, jobs.ReasonResources)
	if r, err := s.Release(ctx, held.ID); err != nil || r.State != "pending" {
		t.Fatalf("release of a job held for resources: %+v %v", r, err)
	}
	aborted := jobWithInput(t, s, spool.Aborted, "aborted-by-system")
	if r, err := s.Release(ctx, aborted.ID); err != nil || r.State != "pending" || !strings.Contains(strings.Join(r.StateReasons, ","), "job-queued") {
		t.Fatalf("release of an aborted job with its file: %+v %v", r, err)
	}
	again := jobWithInput(t, s, spool.Aborted, "aborted-by-system")
	if r, _, err := s.restart(again.ID, api.JobRestart{}); err != nil || r.State != spool.Pending {
		t.Fatalf("restart of an aborted job never analysed: %+v %v", r, err)
	}
	if _, _, err := s.restart(again.ID, api.JobRestart{Pieces: []int{1}}); err == nil {
		t.Error("restart of pieces of a job never analysed succeeded")
	}
	gone := jobWithInput(t, s, spool.Aborted, "aborted-by-system")
	os.Remove(filepath.Join(s.store.JobDir(gone.ID), "input.pdf"))
	if _, err := s.Release(ctx, gone.ID); err == nil || !strings.Contains(err.Error(), "no longer in the spool") {
		t.Fatalf("release of an aborted job without its file: %v", err)
	}
	if _, _, err := s.restart(gone.ID, api.JobRestart{}); err == nil || !strings.Contains(err.Error(), "no longer in the spool") {
		t.Fatalf("restart of an aborted job without its file: %v", err)
	}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := s.inputInSpool(spool.Job{ID: 9, Input: "input.pdf", Compacted: at}); err == nil || !strings.Contains(err.Error(), "removed by spool.retention on 2026-03-01") {
		t.Fatalf("inputInSpool of a compacted job: %v", err)
	}
}

// TestFilePrinterWaitsForSpace: a file printer whose directory is short
// of space claims nothing; it claims the output once space is there.
func TestFilePrinterWaitsForSpace(t *testing.T) {
	s := newTestService(t)
	j, err := s.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Pending,
		StateReasons: []string{"job-queued"}, Input: "input.pdf", Pieces: 1,
		Outputs: []spool.Output{{Name: "main", File: "output.pdf", Seqs: []int{1}, Printer: "file"}}})
	if err != nil {
		t.Fatal(err)
	}
	q := s.printers["file"]
	s.space = spacetest.Short(t, s.cfg.StateDir)
	if k, _ := s.claimNext(q); k != nil {
		t.Fatalf("the file printer claimed output %+v with its directory short of space", *k)
	}
	s.space = spacetest.Plenty(t, s.cfg.StateDir)
	if k, _ := s.claimNext(q); k == nil || k.job != j.ID {
		t.Fatalf("claimed %v once space is there; want job %d", k, j.ID)
	}
}
