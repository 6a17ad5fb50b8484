package daemon

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/omsd/omsd/spool"
)

// routeLoop queues every output on a printer: an output for a printer on
// that printer, an output for a pool on the member that can print it and
// is least loaded by queued sheets. When a member becomes unavailable
// (paused, disabled, stopped, unreachable, failing), its queued pool work
// moves to the others.
func (d *Daemon) routeLoop(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		d.route()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.routeWake:
		case <-t.C:
		}
	}
}

// wakeRouter asks the router for a pass.
func (d *Daemon) wakeRouter() {
	select {
	case d.routeWake <- struct{}{}:
	default:
	}
}

// move is one output queued on a new printer.
type move struct {
	out      int
	from, to string
	why      string
}

// route makes one pass over the waiting jobs.
func (d *Daemon) route() {
	d.routeMu.Lock()
	defer d.routeMu.Unlock()
	jobs, err := d.dispatchable()
	if err != nil {
		d.log.Error().Err(err).Msg("listing jobs to route")
		return
	}
	loads := d.loads(jobs)
	now := time.Now()
	for _, j := range jobs {
		moves := d.routeJob(j, loads, now)
		if len(moves) > 0 {
			d.applyMoves(j.ID, moves)
		}
	}
}

// dispatchable lists the analysed jobs whose outputs may be sent, highest
// priority first, then oldest first.
func (d *Daemon) dispatchable() ([]spool.Job, error) {
	jobs, err := d.store.Jobs(spool.Pending, spool.Processing)
	if err != nil {
		return nil, err
	}
	jobs = slices.DeleteFunc(jobs, func(j spool.Job) bool { return !analyzed(j) || incoming(j) })
	slices.SortStableFunc(jobs, func(a, b spool.Job) int {
		if a.Priority != b.Priority {
			return cmp.Compare(b.Priority, a.Priority)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return jobs, nil
}

// loads is the sheets queued on each printer: unsent outputs queued there
// plus what it is sending.
func (d *Daemon) loads(jobs []spool.Job) map[string]int {
	loads := map[string]int{}
	for _, j := range jobs {
		for i, o := range j.Outputs {
			if o.Sent || o.Printer == "" {
				continue
			}
			if q := d.printers[o.Printer]; q != nil && q.isSending(outKey{j.ID, i}) {
				continue
			}
			loads[o.Printer] += o.Sheets
		}
	}
	for name, q := range d.printers {
		loads[name] += q.inFlightSheets()
	}
	return loads
}

// target is the printer or pool output o of job j goes to.
func target(j spool.Job, o spool.Output) string {
	if o.Target != "" {
		return o.Target
	}
	return j.Printer
}

// routeJob chooses a printer for each output of j that needs one and
// updates loads.
func (d *Daemon) routeJob(j spool.Job, loads map[string]int, now time.Time) []move {
	var moves []move
	n := d.needsOf(j)
	for i, o := range j.Outputs {
		if o.Sent || d.sendingAnywhere(outKey{j.ID, i}) {
			continue
		}
		members := d.cfg.Members(target(j, o))
		if _, isPool := d.cfg.Pool(target(j, o)); !isPool {
			if o.Printer != members[0] {
				moves = append(moves, move{out: i, from: o.Printer, to: members[0], why: "queued"})
			}
			continue
		}
		why := "queued"
		if slices.Contains(members, o.Printer) {
			ok, reason := d.printers[o.Printer].available(now)
			if ok {
				continue
			}
			why = o.Printer + ": " + reason
		}
		best := d.pick(members, n, loads, now)
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

// pick returns the available member that can print n with the fewest
// queued sheets, or "" if there is none.
func (d *Daemon) pick(members []string, n needs, loads map[string]int, now time.Time) string {
	best := ""
	for _, m := range members {
		q := d.printers[m]
		if q == nil || !q.canPrint(n) {
			continue
		}
		if ok, _ := q.available(now); !ok {
			continue
		}
		if best == "" || loads[m] < loads[best] {
			best = m
		}
	}
	return best
}

// sendingAnywhere reports whether any printer is sending output k.
func (d *Daemon) sendingAnywhere(k outKey) bool {
	for _, q := range d.printers {
		if q.isSending(k) {
			return true
		}
	}
	return false
}

// applyMoves records the new printers of a job's outputs and wakes them.
func (d *Daemon) applyMoves(id int64, moves []move) {
	_, err := d.store.UpdateJob(id, func(j *spool.Job) error {
		for _, m := range moves {
			if m.out < len(j.Outputs) && !j.Outputs[m.out].Sent {
				j.Outputs[m.out].Printer, j.Outputs[m.out].Failures = m.to, 0
			}
		}
		return nil
	})
	if err != nil {
		d.log.Error().Err(err).Int64("job", id).Msg("routing outputs")
		return
	}
	for _, m := range moves {
		if m.from != "" {
			msg := fmt.Sprintf("output %d moved from %s to %s: %s", m.out+1, m.from, m.to, m.why)
			d.log.Warn().Int64("job", id).Str("printer", m.to).Msg(msg)
			d.store.AddEvent(spool.Event{Time: time.Now().UTC(), Job: id, Type: "warning", Message: msg})
		}
		if q := d.printers[m.to]; q != nil {
			q.wake()
		}
	}
	d.publishStored()
}
