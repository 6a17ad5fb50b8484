package queues

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/pools"
	"github.com/omsd/omsd/spool"
)

// routeLoop queues every output on a printer: an output for a printer on
// that printer, an output for a pool on the member that can print it and
// is least loaded by queued sheets. When a member becomes unavailable
// (paused, disabled, stopped, unreachable, failing), its queued pool work
// moves to the others.
func (s *Service) routeLoop(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for full := true; ; full = false {
		s.route(full)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.router.C():
		case <-t.C:
		}
	}
}

// move is one output queued on a new printer.
type move struct {
	out      int
	from, to string
	why      string
}

// route makes one pass over the jobs that may need routing: every
// dispatchable job when full (once omsd has started, as the configuration
// may have changed), else those of routeCandidates.
func (s *Service) route(full bool) {
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	now := time.Now()
	js, err := s.routeCandidates(full, now)
	if err != nil {
		s.log.Error().Err(err).Msg("listing jobs to route")
		return
	}
	if len(js) == 0 {
		return
	}
	loads, err := s.loads()
	if err != nil {
		s.log.Error().Err(err).Msg("reading the printer queues")
		return
	}
	for _, j := range js {
		moves := s.routeJob(j, loads, now)
		if len(moves) > 0 {
			s.applyMoves(j.ID, moves)
		}
	}
}

// routeCandidates lists the analysed jobs the router may have to move,
// highest priority first, then oldest first: every pending or processing
// job when full; else those with an output on no printer yet, and those
// queued on a printer that is not configured or is a pool member that
// cannot take work now. It reads no other job, so a pass costs the same
// however long the spool's history.
func (s *Service) routeCandidates(full bool, now time.Time) ([]spool.Job, error) {
	if full {
		js, err := s.store.JobsInState(spool.Pending, spool.Processing)
		return sortDispatchable(js), err
	}
	js, err := s.store.Unrouted()
	if err != nil {
		return nil, err
	}
	printers, err := s.store.QueuedPrinters()
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, j := range js {
		seen[j.ID] = true
	}
	for _, p := range printers {
		if !s.mayLeave(p, now) {
			continue
		}
		more, err := s.queuedJobs(p, seen)
		if err != nil {
			return nil, err
		}
		js = append(js, more...)
	}
	return sortDispatchable(js), nil
}

// mayLeave reports whether outputs queued on printer p may have to move:
// p is no longer configured, or it is a pool member that is unavailable.
func (s *Service) mayLeave(p string, now time.Time) bool {
	q := s.printers[p]
	if q == nil {
		return true
	}
	if len(s.cfg.PoolsOf(p)) == 0 {
		return false
	}
	ok, _ := q.available(now)
	return !ok
}

// queuedJobs reads the jobs with outputs queued on printer p, skipping
// and adding to seen.
func (s *Service) queuedJobs(p string, seen map[int64]bool) ([]spool.Job, error) {
	entries, err := s.store.Queue(p)
	if err != nil {
		return nil, err
	}
	var js []spool.Job
	for _, e := range entries {
		if seen[e.Job] {
			continue
		}
		seen[e.Job] = true
		j, err := s.store.Job(e.Job)
		if err != nil {
			return nil, err
		}
		js = append(js, j)
	}
	return js, nil
}

// sortDispatchable keeps the analysed jobs whose outputs may be sent,
// highest priority first, then oldest first.
func sortDispatchable(js []spool.Job) []spool.Job {
	js = slices.DeleteFunc(js, func(j spool.Job) bool { return !jobs.Analyzed(j) || jobs.Incoming(j) })
	slices.SortStableFunc(js, func(a, b spool.Job) int {
		if a.Priority != b.Priority {
			return cmp.Compare(b.Priority, a.Priority)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return js
}

// loads is the sheets queued on each printer: unsent outputs queued there
// (read from the queue index, not the jobs) plus what it is sending.
func (s *Service) loads() (map[string]int, error) {
	loads := map[string]int{}
	for name, q := range s.printers {
		entries, err := s.store.Queue(name)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !q.isSending(outKey{e.Job, e.Output}) {
				loads[name] += e.Sheets
			}
		}
		loads[name] += q.inFlightSheets()
	}
	return loads, nil
}

// routeJob chooses a printer for each output of j that needs one and
// updates loads.
func (s *Service) routeJob(j spool.Job, loads map[string]int, now time.Time) []move {
	var moves []move
	n := s.needsOf(j)
	for i, o := range j.Outputs {
		if o.Sent || s.sendingAnywhere(outKey{j.ID, i}) {
			continue
		}
		members := s.cfg.Members(jobs.Target(j, o))
		if _, isPool := s.cfg.Pool(jobs.Target(j, o)); !isPool {
			if o.Printer != members[0] {
				moves = append(moves, move{out: i, from: o.Printer, to: members[0], why: "queued"})
			}
			continue
		}
		why := "queued"
		if slices.Contains(members, o.Printer) {
			ok, reason := s.printers[o.Printer].available(now)
			if ok {
				continue
			}
			why = o.Printer + ": " + reason
		}
		best := s.pick(members, n, loads, now)
		if best == "" || best == o.Printer {
			continue
		}
		if o.Printer != "" {
			loads[o.Printer] -= o.Sheets
		}
		loads[best] += o.Sheets
		moves = append(moves, move{out: i, from: o.Printer, to: best, why: why})
	}
	return moves
}

// pick returns the member that can print n, is available and has the
// fewest queued sheets (the pools' rule), or "" if there is none.
func (s *Service) pick(members []string, n needs, loads map[string]int, now time.Time) string {
	ms := make([]pools.Member, 0, len(members))
	for _, m := range members {
		q := s.printers[m]
		if q == nil {
			continue
		}
		ok, _ := q.available(now)
		ms = append(ms, pools.Member{Name: m, CanPrint: q.canPrint(n), Available: ok, Load: loads[m]})
	}
	return pools.Pick(ms)
}

// sendingAnywhere reports whether any printer is sending output k.
func (s *Service) sendingAnywhere(k outKey) bool {
	for _, q := range s.printers {
		if q.isSending(k) {
			return true
		}
	}
	return false
}

// applyMoves records the new printers of a job's outputs and wakes them.
func (s *Service) applyMoves(id int64, moves []move) {
	_, err := s.store.UpdateJob(id, func(j *spool.Job) error {
		for _, m := range moves {
			if m.out < len(j.Outputs) && !j.Outputs[m.out].Sent {
				j.Outputs[m.out].Printer, j.Outputs[m.out].Failures = m.to, 0
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error().Err(err).Int64("job", id).Msg("routing outputs")
		return
	}
	for _, m := range moves {
		if m.from != "" {
			msg := fmt.Sprintf("output %d moved from %s to %s: %s", m.out+1, m.from, m.to, m.why)
			s.log.Warn().Int64("job", id).Str("printer", m.to).Msg(msg)
			s.store.AddEvent(spool.Event{Time: time.Now().UTC(), Job: id, Type: "warning", Message: msg})
		}
		if q := s.printers[m.to]; q != nil {
			q.wake()
		}
	}
	s.pub.Flush()
}
