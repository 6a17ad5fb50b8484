package loop

import (
	"context"
	"errors"
	"time"

	"github.com/omsd/omsd/spool"
)

// retentionLoop compacts the finished jobs whose retention has passed,
// once omsd has started and then every hour.
func (s *Service) retentionLoop(ctx context.Context) error {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		s.expireJobs(time.Now())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// expireJobs removes, at now, the print data, pieces and events of the
// finished jobs whose retention has passed, keeping a small record of
// each; it returns how many it compacted. Only finished jobs last changed
// before spool.retention are read.
func (s *Service) expireJobs(now time.Time) int {
	jobs, err := s.store.FinishedBefore(now.Add(-s.cfg.Spool.Retention.Std()))
	if err != nil {
		s.log.Error().Err(err).Msg("listing finished jobs for retention")
		return 0
	}
	n := 0
	for _, j := range jobs {
		if !s.expired(j, now) {
			continue
		}
		_, err := s.store.CompactJob(j.ID, now)
		switch {
		case errors.Is(err, spool.ErrActive):
			s.log.Debug().Err(err).Int64("job", j.ID).Msg("job kept")
		case err != nil:
			s.log.Error().Err(err).Int64("job", j.ID).Msg("removing the print data of a finished job")
		default:
			n++
		}
	}
	if n > 0 {
		s.log.Info().Int("jobs", n).Dur("retention", s.cfg.Spool.Retention.Std()).Msg("print data of finished jobs removed")
	}
	return n
}

// expired reports whether finished job j, last changed before the spool's
// retention, may be compacted at now. A run through an inserting line (a
// job with a loop, or a reprint of one) keeps everything until its loop
// closed longer ago than both the spool's and the piece histories'
// retention, so reconciliation, reprints, reports and tracking keep their
// pieces.
func (s *Service) expired(j spool.Job, now time.Time) bool {
	run := j
	if j.ReprintOf != 0 {
		if root, err := s.store.Job(j.ReprintOf); err == nil {
			run = root
		}
	}
	if run.Loop == nil {
		return true
	}
	if run.Loop.State != spool.LoopClosed {
		return false
	}
	keep := max(s.cfg.Spool.Retention.Std(), s.cfg.Tracking.Retention.Std())
	return run.Loop.Closed.Before(now.Add(-keep))
}
