package analysis

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// newTestService returns an analysis service on a fresh spool with the
// default configuration; rejected files stay where they are.
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
	return New(cfg, store, pub, events.NewSignal(), events.NewSignal(), keepRejected{}, zerolog.Nop())
}

// keepRejected is an error folder that leaves rejected files in the spool.
type keepRejected struct{}

func (keepRejected) ToErrorFolder(spool.Job, string, error) (string, error) { return "the spool", nil }

// TestAnalysisInParallel checks that a job whose analysis does not end
// holds up no other job, and that each job is analysed once however often
// the loop looks for work.
func TestAnalysisInParallel(t *testing.T) {
	d := newTestService(t)
	huge, small := mkAnalysisJob(t, d, "huge.pdf"), mkAnalysisJob(t, d, "small.pdf")

	var mu sync.Mutex
	runs := map[int64]int{}
	unblock := make(chan struct{})
	a := newAnalyzers(2, func(ctx context.Context, j spool.Job) {
		mu.Lock()
		runs[j.ID]++
		mu.Unlock()
		if j.ID == huge {
			<-unblock // the huge job's analysis takes as long as the test wants
		}
		d.analyze(ctx, j)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.analyzeWith(ctx, a) }()
	defer func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("analysis loop: %v", err)
		}
	}()
	release := sync.OnceFunc(func() { close(unblock) })
	defer release() // before the loop is stopped, should the test fail

	waitAnalysed(t, d, small)
	for range 20 { // look for work again while the huge job is under way
		d.wake.Wake()
		d.startAnalyses(ctx, a)
	}
	release()
	waitAnalysed(t, d, huge)
	d.wake.Wake()
	mu.Lock()
	defer mu.Unlock()
	t.Logf("analyses: %v", runs)
	for _, id := range []int64{huge, small} {
		if runs[id] != 1 {
			t.Errorf("job %d analysed %d times, want once", id, runs[id])
		}
	}
}

// mkAnalysisJob puts a job with a two-piece PDF into the spool, taken in
// and waiting for analysis.
func mkAnalysisJob(t *testing.T, d *Service, name string) int64 {
	t.Helper()
	j, err := d.store.CreateJob(spool.Job{Name: name, Workflow: "default", Printer: "file", Input: "input.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := d.store.MakeJobDir(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := pdftest.WriteFile(filepath.Join(dir, "input.pdf"), pdftest.Options{Pieces: []int{1, 2}, Bookmarks: true}); err != nil {
		t.Fatal(err)
	}
	return j.ID
}

// waitAnalysed waits until job id has its pieces, failing on a generous
// deadline.
func waitAnalysed(t *testing.T, d *Service, id int64) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		j, err := d.store.Job(id)
		if err != nil {
			t.Fatal(err)
		}
		if jobs.Analyzed(j) {
			return
		}
		if j.State == spool.Aborted || time.Now().After(deadline) {
			t.Fatal(fmt.Sprintf("job %d not analysed: %s %v %s", id, j.State, j.StateReasons, j.Message))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAnalysesOverlap runs two analyses at the same moment, for the race
// detector: each waits in the hook until both have started.
func TestAnalysesOverlap(t *testing.T) {
	d := newTestService(t)
	ids := []int64{mkAnalysisJob(t, d, "a.pdf"), mkAnalysisJob(t, d, "b.pdf")}
	var started sync.WaitGroup
	started.Add(len(ids))
	both := make(chan struct{})
	go func() { started.Wait(); close(both) }()
	a := newAnalyzers(len(ids), func(ctx context.Context, j spool.Job) {
		started.Done()
		select {
		case <-both:
		case <-time.After(2 * time.Minute):
			t.Errorf("job %d: the other analysis did not start alongside", j.ID)
		}
		d.analyze(ctx, j)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.analyzeWith(ctx, a) }()
	for _, id := range ids {
		waitAnalysed(t, d, id)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("analysis loop: %v", err)
	}
}
