package intake

import (
	"context"
	"errors"
	"sync"
	"time"
)

// intakeIndex holds the jobs whose intake failed part way and that stay
// incoming, by the hot-folder path of their print file: a file offered again
// continues its job instead of making a new one, and retryIntakes takes up
// the others (say the print file moved but its sidecar did not, so the hot
// folder offers nothing). Only one caller at a time works on a job. Its zero
// value is ready to use.
type intakeIndex struct {
	mu    sync.Mutex
	paths map[string]int64
	busy  map[int64]bool
}

// errIntakeBusy says another caller is working on the job's intake.
var errIntakeBusy = errors.New("the file's intake is being finished")

func (x *intakeIndex) add(path string, id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.paths == nil {
		x.paths = map[string]int64{}
	}
	x.paths[path] = id
}

func (x *intakeIndex) lookup(path string) (int64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	id, ok := x.paths[path]
	return id, ok
}

// ids lists the jobs in the index.
func (x *intakeIndex) ids() []int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]int64, 0, len(x.paths))
	for _, id := range x.paths {
		out = append(out, id)
	}
	return out
}

// drop forgets job id.
func (x *intakeIndex) drop(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for p, v := range x.paths {
		if v == id {
			delete(x.paths, p)
		}
	}
}

// claim reserves job id for the caller; false if another caller has it.
func (x *intakeIndex) claim(id int64) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.busy[id] {
		return false
	}
	if x.busy == nil {
		x.busy = map[int64]bool{}
	}
	x.busy[id] = true
	return true
}

func (x *intakeIndex) release(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.busy, id)
}

// retryIntakes resumes the failed intakes every spool retry delay until ctx
// ends.
func (s *Service) retryIntakes(ctx context.Context) error {
	every := s.cfg.Spool.RetryDelay.Std()
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			s.resumeIntakes()
		}
	}
}

// resumeIntakes tries once more each intake that failed part way.
func (s *Service) resumeIntakes() {
	for _, id := range s.intakes.ids() {
		if err := s.resumeIntake(id); err != nil && !errors.Is(err, errIntakeBusy) {
			s.log.Warn().Err(err).Int64("job", id).Msg("intake retried")
		}
	}
}
