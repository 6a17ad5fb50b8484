// Package loop closes the loop with the inserting lines: it writes each
// output's manifest for its line (one record per envelope), takes the
// line's result files (by envelope or by letter), keeps every piece's
// history (tracking), reconciles a run's expected pieces with what the
// line reported, reprints damaged and unread envelopes whole with their
// postage planned afresh, raises and acknowledges integrity alarms (kept
// with who acknowledged them, when and why), and reports a run's
// close-out. It also ends a finished job's life: after spool.retention its
// print data, pieces and events are removed (a compacted record stays),
// but a run through a line keeps everything until its loop closed longer
// ago than the retentions.
//
// Job states it writes (it reads jobs that queues sent, and their pieces'
// histories):
//
//	any          -> held (job-hold-until-specified) on an integrity alarm
//	                (a piece inserted twice) or when reprints need a decision
//	held         -> pending or completed (jobs.Released) when an alarm is
//	                acknowledged or a reprint is queued
//	finished     -> compacted (Job.Compacted) after the retention
//	(new)        -> a reprint job: pending with reason job-incoming while it
//	                is set up, then job-queued with one output; queues is
//	                woken. A crash while it is set up aborts it (Recover)
//	                and the pieces are reprinted again.
//
// A job's loop record (spool.Loop: open, decision, closed) is its alone.
// Histories are written by several services, each its own steps: analysis
// (received, planned), queues (printed), the loop (line results,
// reprinted, closed). Result folders are watched with intake/hotfolder,
// the same finder of complete files the hot folders use.
package loop

import (
	"context"
	"sync"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// Service is the closed loop of omsd's inserting lines.
type Service struct {
	cfg   *config.Config
	log   zerolog.Logger
	store *spool.Store
	pub   *events.Publisher
	route events.Waker // told when a reprint job is queued
	space *diskspace.Monitor
	// observer is told the result events and reprints (WithObserver).
	observer Observer

	// loopMu serialises reconciliation and reprints.
	loopMu sync.Mutex
}

// New returns the loop of cfg's lines; route is woken when a reprint job
// is queued; no reprint job is set up while space (nil: none watched)
// says space is short.
func New(cfg *config.Config, store *spool.Store, pub *events.Publisher, space *diskspace.Monitor, route events.Waker, log zerolog.Logger, opts ...Option) *Service {
	s := &Service{cfg: cfg, log: log, store: store, pub: pub, route: route, space: space, observer: nopObserver{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Loops are the service's long-running loops: one per line's result
// folder, the housekeeping of open runs and old histories, and the
// retention of finished jobs' data.
func (s *Service) Loops() []func(context.Context) error {
	var loops []func(context.Context) error
	for _, l := range s.cfg.Lines {
		loops = append(loops, func(ctx context.Context) error { return s.watchResults(ctx, l) })
	}
	return append(loops, s.loopHousekeeping, s.retentionLoop)
}

// Recover aborts the reprint jobs that omsd's stopping cut off while they
// were set up; the next reconciliation reprints their pieces again.
func (s *Service) Recover() error {
	js, err := s.store.Jobs(spool.Pending, spool.Held, spool.Processing)
	if err != nil {
		return err
	}
	for _, j := range js {
		if jobs.Incoming(j) && j.ReprintOf != 0 {
			s.pub.SetState(j.ID, spool.Aborted, "omsd stopped while the reprint was set up; its pieces are reprinted again", "aborted-by-system")
		}
	}
	return nil
}
