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
	for {
		s.route()
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

// route makes one pass over the waiting jobs.
func (s *Service) route() {
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	js, err := s.dispatchable()
	if err != nil {
		s.log.Error().Err(err).Msg("listing jobs to route")
		return
	}
	loads := s.loads(js)
	now := time.Now()
	for _, j := range js {
		moves := s.routeJob(j, loads, now)
		if len(moves) > 0 {
			s.applyMoves(j.ID, moves)
		}
	}
}

// dispatchable lists the analysed jobs whose outputs may be sent, highest
// priority first, then oldest first.
func (s *Service) dispatchable() ([]spool.Job, error) {
	js, err := s.store.Jobs(spool.Pending, spool.Processing)
	if err != nil {
		return nil, err
	}
	js = slices.DeleteFunc(js, func(j spool.Job) bool { return !jobs.Analyzed(j) || jobs.Incoming(j) })
	slices.SortStableFunc(js, func(a, b spool.Job) int {
		if a.Priority != b.Priority {
			return cmp.Compare(b.Priority, a.Priority)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return js, nil
}

// loads is the sheets queued on each printer: unsent outputs queued there
// plus what it is sending.
func (s *Service) loads(js []spool.Job) map[string]int {
	loads := map[string]int{}
	for _, j := range js {
		for i, o := range j.Outputs {
			if o.Sent || o.Printer == "" {
				continue
			}
			if q := s.printers[o.Printer]; q != nil && q.isSending(outKey{j.ID, i}) {
				continue
			}
			loads[o.Printer] += o.Sheets
		}
	}
	for name, q := range s.printers {
		loads[name] += q.inFlightSheets()
	}
	return loads
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
