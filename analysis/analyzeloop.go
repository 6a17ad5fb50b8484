package analysis

import (
	"context"
	"sync"
	"time"

	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// analyzeLoop finds the pieces of every job taken in and composes its
// output, oldest first, up to analysis.workers jobs at a time, so that one
// huge job does not hold up the others.
func (s *Service) analyzeLoop(ctx context.Context) error {
	return s.analyzeWith(ctx, newAnalyzers(s.cfg.Analysis.Workers, s.analyze))
}

// analyzeWith runs the analysis loop with a's workers. It returns when ctx
// ends, once the analyses under way have left off.
func (s *Service) analyzeWith(ctx context.Context, a *analyzers) error {
	defer a.wg.Wait()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for {
		s.startAnalyses(ctx, a)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.wake.C():
		case <-tick.C:
		}
	}
}

// startAnalyses starts a worker on each job waiting for analysis, while
// workers are free.
func (s *Service) startAnalyses(ctx context.Context, a *analyzers) {
	js, err := s.store.JobsInState(spool.Pending, spool.Held)
	if err != nil {
		s.log.Error().Err(err).Msg("listing jobs to analyse")
	}
	for _, j := range js {
		if ctx.Err() != nil {
			return
		}
		if !needsAnalysis(j) {
			continue
		}
		claimed, full := a.claim(j.ID)
		if full {
			return // a worker that finishes wakes the loop
		}
		if claimed {
			a.wg.Add(1)
			go s.analyzeClaimed(ctx, a, j.ID)
		}
	}
}

// analyzeClaimed analyses a job claimed in a. The job is read again: the
// list it came from may predate another worker's finishing it.
func (s *Service) analyzeClaimed(ctx context.Context, a *analyzers, id int64) {
	defer a.wg.Done()
	defer s.wake.Wake()
	defer a.release(id)
	j, err := s.store.Job(id)
	if err != nil {
		s.log.Error().Err(err).Int64("job", id).Msg("reading the job to analyse")
		return
	}
	if needsAnalysis(j) {
		a.run(ctx, j)
	}
}

func needsAnalysis(j spool.Job) bool {
	return (j.State == spool.Pending || j.State == spool.Held) && !jobs.Analyzed(j) && !jobs.Incoming(j)
}

// analyzers bounds the jobs analysed at the same time and claims each job
// for one worker only.
type analyzers struct {
	run func(context.Context, spool.Job) // analyses one job
	wg  sync.WaitGroup                   // workers under way

	mu   sync.Mutex
	busy map[int64]bool // jobs being analysed
	max  int
}

func newAnalyzers(workers int, run func(context.Context, spool.Job)) *analyzers {
	return &analyzers{run: run, busy: map[int64]bool{}, max: max(1, workers)}
}

// claim takes job id for a worker. claimed is false when the job is
// already being analysed; full is true when every worker is busy.
func (a *analyzers) claim(id int64) (claimed, full bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.busy[id]:
		return false, false
	case len(a.busy) >= a.max:
		return false, true
	}
	a.busy[id] = true
	return true, false
}

// release frees job id's worker.
func (a *analyzers) release(id int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.busy, id)
}
