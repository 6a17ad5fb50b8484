package analysis

import (
	"strconv"
	"time"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// trackReceived starts the histories of a job's pieces: received, and
// planned (envelope, product) when the run was planned.
func (s *Service) trackReceived(j spool.Job, pieces []mailpiece.Piece) {
	now := time.Now().UTC()
	entries := make([]spool.TrackEntry, 0, 2*len(pieces))
	for _, p := range pieces {
		entries = append(entries, spool.TrackEntry{Root: j.ID, Seq: p.Seq, Event: spool.PieceEvent{Time: j.Created, Kind: spool.TrackReceived, Job: j.ID, Detail: j.Name}})
		if pl := p.Placement; pl != nil {
			detail := "envelope " + strconv.Itoa(pl.Envelope) + " " + pl.EnvelopeType + ", " + pl.Product + " " + pl.Level + ", output " + pl.Output
			if pl.Held {
				detail = "held for an operator"
			}
			entries = append(entries, spool.TrackEntry{Root: j.ID, Seq: p.Seq, Event: spool.PieceEvent{Time: now, Kind: spool.TrackPlanned, Job: j.ID, Detail: detail}})
		}
	}
	if err := s.store.AddTrackEvents(entries); err != nil {
		s.log.Error().Err(err).Int64("job", j.ID).Msg("recording piece histories")
	}
}
