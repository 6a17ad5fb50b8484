package queues

import (
	"time"

	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// trackPrinted records that the printer printed the pieces of an attempt.
func (s *Service) trackPrinted(a attempt) {
	now := time.Now().UTC()
	entries := make([]spool.TrackEntry, len(a.seqs))
	for i, s := range a.seqs {
		entries[i] = spool.TrackEntry{Root: jobs.Root(a.job), Seq: s, Event: spool.PieceEvent{
			Time: now, Kind: spool.TrackPrinted, Job: a.job.ID, Generation: a.job.Generation, Device: a.q.Name, Detail: "output " + a.out.Name}}
	}
	if err := s.store.AddTrackEvents(entries); err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Msg("recording piece histories")
	}
}
