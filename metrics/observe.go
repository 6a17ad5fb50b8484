package metrics

import (
	"context"
	"slices"
	"time"

	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/spool"
)

// jobTrack is what the service remembers of an unfinished job between its
// events: when each stage began (zero if it began before the service
// started) and the printer each output was last sent to.
type jobTrack struct {
	state                                spool.State // the last seen
	created, intaken, analysed, printing time.Time
	printers                             map[string]string    // output -> printer
	sending                              map[string]time.Time // output -> its transmission began
}

// Reason keywords of the state events the stages are told by.
const (
	reasonQueuedForMarker = "job-queued-for-marker" // analysis done
)

// track returns the job's track, creating one that knows nothing.
func (s *Service) track(id int64) *jobTrack {
	t := s.jobs[id]
	if t == nil {
		t = &jobTrack{printers: map[string]string{}, sending: map[string]time.Time{}}
		s.jobs[id] = t
	}
	return t
}

// observe counts one event of the log.
func (s *Service) observe(e spool.Event) {
	switch {
	case e.Type == "state" && e.Job != 0:
		s.observeState(e)
	case slices.Contains(e.Reasons, events.ReasonOutputSending):
		s.observeSending(e)
	case slices.Contains(e.Reasons, events.ReasonOutputSent):
		s.observeSent(e)
	case slices.Contains(e.Reasons, events.ReasonOutputFailed):
		s.m.sendFailures.WithLabelValues(e.Printer).Inc()
	case slices.Contains(e.Reasons, events.ReasonAlarmRaised):
		s.m.alarms.Inc()
	case slices.Contains(e.Reasons, events.ReasonRunClosed):
		if from, ok := s.closing[e.Job]; ok {
			s.observeStage(StageCompletion, from, e.Time)
			delete(s.closing, e.Job)
		}
	}
}

// observeSending counts a transmission begun: a retry when it is not the
// output's first, a failover of the previous printer when the output was
// last sent to another one.
func (s *Service) observeSending(e spool.Event) {
	s.m.sends.WithLabelValues(e.Printer).Inc()
	if e.Attempt > 1 {
		s.m.retries.WithLabelValues(e.Printer).Inc()
	}
	t := s.track(e.Job)
	if prev := t.printers[e.Output]; prev != "" && prev != e.Printer {
		s.m.failovers.WithLabelValues(prev).Inc()
	}
	t.printers[e.Output] = e.Printer
	t.sending[e.Output] = e.Time
}

// observeState times the stages a state change ends, and counts a job
// that finished: when it completes from printing (a job restarted and
// printed again counts again), is canceled or aborted.
func (s *Service) observeState(e spool.Event) {
	t := s.track(e.Job)
	prev := t.state
	t.state = e.State
	incoming := slices.Contains(e.Reasons, jobs.ReasonIncoming)
	switch {
	case incoming:
		if t.created.IsZero() {
			t.created = e.Time
		}
	case t.intaken.IsZero() && !e.State.Terminal(): // a job refused at intake has no intake time
		t.intaken = e.Time
		s.observeStage(StageIntake, t.created, e.Time)
	}
	if slices.Contains(e.Reasons, reasonQueuedForMarker) && t.analysed.IsZero() {
		t.analysed = e.Time
		s.observeStage(StageAnalysis, t.intaken, e.Time)
	}
	if e.State == spool.Processing && t.printing.IsZero() {
		t.printing = e.Time
		queued := t.analysed
		if queued.IsZero() {
			queued = t.intaken // a reprint is composed while it is taken in
		}
		s.observeStage(StageQueue, queued, e.Time)
	}
	if !e.State.Terminal() {
		return
	}
	if e.State == spool.Completed && prev != "" && prev != spool.Processing {
		// Completed again without printing: released from a hold put on it
		// after it completed (an integrity alarm acknowledged). Counted once.
		delete(s.jobs, e.Job)
		return
	}
	if e.State == spool.Completed {
		s.observeStage(StageSend, t.printing, e.Time)
		s.observeStage(StageTotal, t.created, e.Time)
	}
	delete(s.jobs, e.Job)
	s.finished(e.Job, e.State, e.Reasons, e.Time)
}

// observeStage records a stage that began at from (unknown if zero).
func (s *Service) observeStage(stage string, from, to time.Time) {
	if from.IsZero() || to.Before(from) {
		return
	}
	s.m.stage.WithLabelValues(stage).Observe(to.Sub(from).Seconds())
}

// finished counts a job that reached a final state: its pieces, pages,
// sheets and envelopes; the postage of a completed one; a refusal when it
// ended before it was analysed.
func (s *Service) finished(id int64, state spool.State, reasons []string, at time.Time) {
	j, err := s.store.Job(id)
	if err != nil {
		s.log.Warn().Err(err).Int64("job", id).Msg("metrics: reading a finished job")
		return
	}
	st := string(state)
	if state == spool.Completed && j.Loop != nil && j.Loop.State != spool.LoopClosed {
		s.closing[id] = at // the line's results are awaited
	}
	if j.ReprintOf == 0 && len(j.Outputs) == 0 && state == spool.Aborted {
		reason := "aborted-by-system"
		if len(reasons) > 0 {
			reason = reasons[0]
		}
		s.m.refusals.WithLabelValues(reason).Inc()
	}
	s.m.pieces.WithLabelValues(j.Workflow, st).Add(float64(j.Pieces))
	s.m.pages.WithLabelValues(j.Workflow, st).Add(float64(j.Pages))
	s.m.sheets.WithLabelValues(j.Workflow, st).Add(float64(j.Sheets))
	if j.Pieces == 0 {
		return
	}
	pieces, err := s.store.Pieces(id)
	if err != nil {
		s.log.Warn().Err(err).Int64("job", id).Msg("metrics: reading a finished job's pieces")
		return
	}
	env := Envelopes(pieces)
	s.m.envelopes.WithLabelValues(j.Workflow, st).Add(float64(env.Count))
	if state != spool.Completed || len(env.Postage) == 0 {
		return
	}
	carrier := s.carrier(j.Workflow)
	for product, m := range env.Postage {
		s.m.postageSpent.WithLabelValues(carrier, product).Add(float64(MinorUnits(m)))
	}
	if j.ReprintOf != 0 || s.live == nil {
		return
	}
	if p, err := s.live.Plan(context.Background(), id); err == nil && p.Saving > 0 {
		s.m.postageSaved.WithLabelValues(carrier).Add(float64(MinorUnits(p.Saving)))
	}
}

// carrier is the carrier of a workflow's postage plan, "" without one.
func (s *Service) carrier(workflow string) string {
	if wf, ok := s.config().Workflow(workflow); ok && wf.Postage != nil {
		return wf.Postage.Carrier
	}
	return ""
}

// EnvelopeCount is the envelopes of a job's pieces and their postage by
// carrier product.
type EnvelopeCount struct {
	Count   int
	Postage map[string]postage.Money
}

// Envelopes counts the envelopes of pieces as the job report does: those
// of the plan (not held back), or one per piece without a plan; and sums
// the planned postage per product.
func Envelopes(pieces []spool.Piece) EnvelopeCount {
	c := EnvelopeCount{Postage: map[string]postage.Money{}}
	seen := map[int]bool{}
	for _, p := range pieces {
		pl := p.Placement
		if pl == nil {
			c.Count++
			continue
		}
		if pl.Held || seen[pl.Envelope] {
			continue
		}
		seen[pl.Envelope] = true
		c.Count++
		if m, err := postage.ParseMoney(pl.Price); err == nil {
			c.Postage[pl.Product] += m
		}
	}
	return c
}

// MinorUnits is m in minor currency units (cents), rounded half away
// from zero: Money is in ten-thousandths of the currency unit.
func MinorUnits(m postage.Money) int64 {
	if m < 0 {
		return -MinorUnits(-m)
	}
	return (int64(m) + 50) / 100
}
