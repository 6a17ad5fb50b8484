package loop

import (
	"context"
	"time"

	"github.com/omsd/omsd/spool"
)

// liveTracks are the run's piece histories without void reprints.
func (s *Service) liveTracks(root int64) map[int][]spool.PieceEvent {
	tracks, err := s.store.Tracks(root)
	if err != nil {
		s.log.Error().Err(err).Int64("job", root).Msg("reading piece histories")
		return nil
	}
	s.dropVoidReprints(tracks)
	return tracks
}

// dropVoidReprints removes "reprinted" steps of reprint jobs that were
// aborted or canceled: those pieces need a reprint again.
func (s *Service) dropVoidReprints(tracks map[int][]spool.PieceEvent) {
	void := map[int64]bool{}
	for seq, evs := range tracks {
		kept := evs[:0:0]
		for _, e := range evs {
			if e.Kind == spool.TrackReprinted {
				if _, ok := void[e.Job]; !ok {
					j, err := s.store.Job(e.Job)
					void[e.Job] = err != nil || j.State == spool.Aborted || j.State == spool.Canceled
				}
				if void[e.Job] {
					continue
				}
			}
			kept = append(kept, e)
		}
		tracks[seq] = kept
	}
}

// loopHousekeeping reconciles the open runs once omsd has started (a
// reprint cut off by a crash is made again) and then, every hour, removes
// the piece histories older than the retention.
func (s *Service) loopHousekeeping(ctx context.Context) error {
	s.reconcileOpen()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		s.expireTracks(time.Now().Add(-s.cfg.Tracking.Retention.Std()))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Service) reconcileOpen() {
	js, err := s.store.OpenLoops()
	if err != nil {
		s.log.Error().Err(err).Msg("listing open runs")
		return
	}
	for _, j := range js {
		if j.Loop != nil && j.Loop.State != spool.LoopClosed {
			s.reconcile(j.ID)
		}
	}
}

// expireTracks removes the histories of closed runs closed before cutoff,
// and of finished jobs without a loop last changed before it. It reads no
// job: the spool lists the runs due.
func (s *Service) expireTracks(cutoff time.Time) {
	roots, err := s.store.TracksDue(cutoff)
	if err != nil {
		s.log.Error().Err(err).Msg("listing expired piece histories")
		return
	}
	for _, id := range roots {
		if err := s.store.DeleteTracks(id); err != nil {
			s.log.Error().Err(err).Int64("job", id).Msg("removing expired piece histories")
		}
	}
}
