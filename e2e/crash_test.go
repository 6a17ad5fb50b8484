package e2e

import (
	"testing"
	"time"

	"github.com/omsd/omsd/internal/testpeer"
)

// TestKillDuringDispatch kills omsd with SIGKILL while a job is being sent
// and checks that after a restart the job completes, and that a completed
// job is never sent again however often omsd restarts.
func TestKillDuringDispatch(t *testing.T) {
	t.Parallel()
	// The printer takes 3 s per job, so the job is still being followed
	// when omsd is killed.
	printer := testpeer.StartIPPPrinter(t, testpeer.WithScript("sleep 3\nexit 0\n"))
	d := startDaemon(t, ippConfig(printer.URI, "auto"))
	o := twentyPieces(true)
	drop(t, d.path("hot", "letters"), "crash.pdf", pdfBytes(t, o))

	waitFor(t, 30*time.Second, "the job to be sent", func() bool {
		jobs := d.jobs()
		return len(jobs) == 1 && jobs[0].State == "processing"
	})
	d.kill()
	d.start()

	jobs := d.waitJobs(1, 60*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("after restart the job is %s (%v); want completed\n%s", jobs[0].State, jobs[0].StateReasons, d.log())
	}
	// The printer got the cut-off document and the one sent again from its
	// start (omsd retries while the printer is still busy with the first).
	sent := len(printer.WaitJobs(t, 2))
	if sent != 2 {
		t.Errorf("printer received %d documents; want 2", sent)
	}
	attempts := jobs[0].Attempts
	if attempts < 2 {
		t.Errorf("attempts = %d; want at least 2", attempts)
	}

	// A completed job is never sent again: a second job, queued behind
	// it, is sent alone.
	d.kill()
	d.start()
	drop(t, d.path("hot", "letters"), "after.pdf", pdfBytes(t, o))
	jobs = d.waitJobs(2, 60*time.Second)
	if len(jobs) != 2 || jobs[0].State != "completed" || jobs[0].Attempts != attempts || jobs[1].State != "completed" {
		t.Errorf("after a second restart: %+v", jobs)
	}
	if n := len(printer.WaitJobs(t, sent+1)); n != sent+1 {
		t.Errorf("printer has %d jobs after the second restart and a new job; want %d", n, sent+1)
	}
}
