package metrics

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/deadline"
	"github.com/omsd/omsd/spool"
)

// ReasonDeadlineAtRisk is the reason keyword of the warning event recorded
// when a job is first predicted to miss its deadline.
const ReasonDeadlineAtRisk = "job-deadline-at-risk"

// speedWeight is the weight of a new measurement in a printer's speed.
const speedWeight = 0.3

// minSendTime is the shortest transmission that measures a speed: a
// shorter one says more about the clock than about the printer.
const minSendTime = 500 * time.Millisecond

// dueOf is a job's deadline, worked out once.
type dueOf struct {
	at time.Time
	ok bool
}

// observeSent measures the printer's speed from a transmission the
// device confirmed: the output's sheets over the time since it began.
func (s *Service) observeSent(e spool.Event) {
	t := s.jobs[e.Job]
	if t == nil || t.sending[e.Output].IsZero() {
		return
	}
	took := e.Time.Sub(t.sending[e.Output])
	delete(t.sending, e.Output)
	if took < minSendTime {
		return
	}
	j, err := s.store.Job(e.Job)
	if err != nil {
		return
	}
	i := slices.IndexFunc(j.Outputs, func(o spool.Output) bool { return o.Name == e.Output })
	if i < 0 || j.Outputs[i].Sheets == 0 {
		return
	}
	v := float64(j.Outputs[i].Sheets) / took.Seconds()
	s.speedMu.Lock()
	defer s.speedMu.Unlock()
	if old, ok := s.speeds[e.Printer]; ok {
		v = old + speedWeight*(v-old)
	}
	s.speeds[e.Printer] = v
}

// speed is a printer's speed in sheets a second: measured, else assumed
// (metrics.sheets_per_minute).
func (s *Service) speed(printer string) float64 {
	s.speedMu.Lock()
	defer s.speedMu.Unlock()
	if v, ok := s.speeds[printer]; ok {
		return v
	}
	return float64(s.config().Metrics.AssumedSheetsPerMinute()) / 60
}

// Deadlines are the active jobs with a deadline, with their prediction.
func (s *Service) Deadlines(ctx context.Context) ([]api.Deadline, error) {
	list, err := s.store.ActiveJobs()
	if err != nil {
		return nil, err
	}
	var printers []api.Printer
	if s.live != nil {
		if printers, err = s.live.Printers(ctx); err != nil {
			return nil, err
		}
	}
	return s.predict(list, printers, time.Now()), nil
}

// predict works out the active jobs' deadlines and predicted completion:
// the sheets queued on the printers that may print a job (its printer,
// or its pool's members), plus its own not yet routed to one, at their
// speeds added up.
func (s *Service) predict(list []spool.Job, printers []api.Printer, now time.Time) []api.Deadline {
	out := []api.Deadline{}
	for _, j := range list {
		due := s.due(j)
		if !due.ok {
			continue
		}
		d := api.Deadline{Job: j.ID, Name: j.Name, Workflow: j.Workflow, Printer: j.Printer, State: string(j.State), Deadline: due.at}
		perSecond := 0.0
		for _, p := range printers {
			if p.Name == j.Printer || slices.Contains(p.Pools, j.Printer) {
				d.SheetsAhead += p.QueuedSheets
				perSecond += s.speed(p.Name)
			}
		}
		for _, o := range j.Outputs {
			if !o.Sent && o.Printer == "" && o.Target != "" && o.Target != j.Printer {
				d.SheetsAhead += o.Sheets // routed to another target: not in the queues above
			}
		}
		if len(j.Outputs) == 0 {
			d.SheetsAhead += j.Sheets
		}
		d.SheetsPerMinute = perSecond * 60
		d.Predicted = deadline.Predict(now, d.SheetsAhead, perSecond)
		d.AtRisk = now.After(due.at) || (!d.Predicted.IsZero() && d.Predicted.After(due.at))
		out = append(out, d)
	}
	return out
}

// due is job j's deadline, remembered once it is known for good (a
// deadline from the pieces' metadata is known once they are found).
func (s *Service) due(j spool.Job) dueOf {
	s.dueMu.Lock()
	d, ok := s.dues[j.ID]
	s.dueMu.Unlock()
	if ok {
		return d
	}
	wf, found := s.config().Workflow(j.Workflow)
	if !found || wf.Deadline == nil {
		return dueOf{}
	}
	var pieces []spool.Piece
	if wf.Deadline.Field != "" {
		if j.Pieces == 0 {
			at, ok := deadline.Of(wf.Deadline, j.Created, nil, j.Metadata, time.Local)
			return dueOf{at, ok} // for now: the pieces are not found yet
		}
		var err error
		if pieces, err = s.store.Pieces(j.ID); err != nil {
			return dueOf{}
		}
	}
	at, found := deadline.Of(wf.Deadline, j.Created, pieces, j.Metadata, time.Local)
	d = dueOf{at, found}
	s.dueMu.Lock()
	s.dues[j.ID] = d
	s.dueMu.Unlock()
	return d
}

// checkDeadlines records a warning event on each job first found at risk
// and counts it; a job no longer active is forgotten.
func (s *Service) checkDeadlines(ctx context.Context) {
	jobs, err := s.store.ActiveJobs()
	if err != nil {
		s.log.Warn().Err(err).Msg("metrics: predicting deadlines")
		return
	}
	var printers []api.Printer
	if s.live != nil {
		if printers, err = s.live.Printers(ctx); err != nil {
			s.log.Warn().Err(err).Msg("metrics: predicting deadlines")
			return
		}
	}
	active := map[int64]bool{}
	for _, j := range jobs {
		active[j.ID] = true
	}
	for _, d := range s.predict(jobs, printers, time.Now()) {
		if !d.AtRisk || s.warned[d.Job] {
			continue
		}
		s.warned[d.Job] = true
		if s.warnedBefore(d.Job) {
			continue // by this omsd before it restarted
		}
		s.m.atRisk.Inc()
		msg := fmt.Sprintf("at risk of missing its deadline %s: predicted to finish %s (%d sheets ahead at %.0f sheets a minute)",
			d.Deadline.Format(time.RFC3339), predictedText(d), d.SheetsAhead, d.SheetsPerMinute)
		s.log.Warn().Int64("job", d.Job).Time("deadline", d.Deadline).Msg(msg)
		if s.live != nil {
			s.live.Record(spool.Event{Job: d.Job, Type: "warning", Reasons: []string{ReasonDeadlineAtRisk}, Message: msg})
		}
	}
	for id := range s.warned {
		if !active[id] {
			delete(s.warned, id)
		}
	}
	s.dueMu.Lock()
	for id := range s.dues {
		if !active[id] {
			delete(s.dues, id)
		}
	}
	s.dueMu.Unlock()
}

// warnedBefore reports whether job id's events hold an at-risk warning.
func (s *Service) warnedBefore(id int64) bool {
	evs, err := s.store.JobEvents(id)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(evs, func(e spool.Event) bool { return slices.Contains(e.Reasons, ReasonDeadlineAtRisk) })
}

func predictedText(d api.Deadline) string {
	if d.Predicted.IsZero() {
		return "never (no printer speed)"
	}
	return d.Predicted.Format(time.RFC3339)
}

// atRisk counts the jobs of list at risk of missing their deadline.
func (s *Service) atRisk(list []spool.Job, printers []api.Printer, now time.Time) int {
	n := 0
	for _, d := range s.predict(list, printers, now) {
		if d.AtRisk {
			n++
		}
	}
	return n
}
