package reports

import (
	"time"

	"github.com/omsd/omsd/deadline"
	"github.com/omsd/omsd/spool"
)

// slaState is how a run stands against its deadline.
type slaState int

const (
	slaNone   slaState = iota // no deadline
	slaMet                    // completed by it
	slaMissed                 // completed after it, or past it and not completed
	slaOpen                   // not completed, and not yet past it
)

// sla is how run j stands against its deadline at now.
func (s *Service) sla(j spool.Job, now time.Time) slaState {
	wf, ok := s.cfg.Workflow(j.Workflow)
	if !ok || wf.Deadline == nil {
		return slaNone
	}
	var pieces []spool.Piece
	if wf.Deadline.Field != "" {
		pieces, _ = s.store.Pieces(j.ID) // gone with retention: the workflow's deadline
	}
	due, ok := deadline.Of(wf.Deadline, j.Created, pieces, j.Metadata, s.loc)
	if !ok {
		return slaNone
	}
	if j.State == spool.Completed {
		if s.completedAt(j).After(due) {
			return slaMissed
		}
		return slaMet
	}
	if now.After(due) {
		return slaMissed
	}
	return slaOpen
}

// completedAt is when job j last completed: its last state event to
// completed, or its last change once retention removed its events.
func (s *Service) completedAt(j spool.Job) time.Time {
	evs, err := s.store.JobEvents(j.ID)
	if err == nil {
		for i := len(evs) - 1; i >= 0; i-- {
			if e := evs[i]; e.Type == "state" && e.State == spool.Completed {
				return e.Time
			}
		}
	}
	return j.Updated
}
