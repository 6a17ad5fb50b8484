package queues

import (
	"errors"
	"fmt"
	"time"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/spool"
)

// eventResend is the event type of a transmission that carries pieces an
// earlier transmission already carried: they may be printed twice.
const eventResend = "resend"

// recordSends counts the transmission of an attempt's pieces before it
// begins, so that a transmission cut off by a crash (kill -9, power loss)
// still counts when the pieces are sent again.
func (s *Service) recordSends(a attempt) {
	if err := s.store.RecordSends(a.job.ID, a.seqs, a.q.Name); err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Msg("recording piece sends")
	}
}

// sendsDone settles an attempt's count once the driver returned: a
// transmission that reached no device is taken back; one that did and
// carried pieces sent before is recorded as a resend.
func (s *Service) sendsDone(a attempt, sendErr error) {
	if errors.Is(sendErr, drivers.ErrNotSent) {
		if err := s.store.UnrecordSends(a.job.ID, a.seqs, a.q.Name); err != nil {
			s.log.Error().Err(err).Int64("job", a.job.ID).Msg("taking back piece sends")
		}
		return
	}
	s.noteResend(a)
}

// noteResend records which of an attempt's pieces an earlier transmission
// carried already, so that a piece printed twice is always one omsd said
// it sent again.
func (s *Service) noteResend(a attempt) {
	sends, err := s.store.Sends(a.job.ID)
	if err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Msg("reading piece sends")
		return
	}
	var again []int
	for _, seq := range a.seqs {
		if sends[seq].Sends > 1 {
			again = append(again, seq)
		}
	}
	if len(again) == 0 {
		return
	}
	msg := fmt.Sprintf("resent %d pieces (%s) to %s, from the first piece not confirmed printed; an earlier transmission may have printed some of them",
		len(again), seqRanges(again), a.q.Name)
	if a.out.Name != "" {
		msg = "output " + a.out.Name + ": " + msg
	}
	if _, err := s.store.AddEvent(spool.Event{Time: time.Now().UTC(), Job: a.job.ID, Type: eventResend, Message: msg,
		Printer: a.q.Name, Output: a.out.Name, Attempt: a.out.Attempts}); err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Msg("recording a resend")
	}
	s.log.Warn().Int64("job", a.job.ID).Str("printer", a.q.Name).Int("pieces", len(again)).Msg(msg)
}

// seqRanges writes piece numbers as ranges: 1-3,7.
func seqRanges(seqs []int) string {
	s := ""
	for i := 0; i < len(seqs); {
		j := i
		for j+1 < len(seqs) && seqs[j+1] == seqs[j]+1 {
			j++
		}
		if s != "" {
			s += ","
		}
		if j > i {
			s += fmt.Sprintf("%d-%d", seqs[i], seqs[j])
		} else {
			s += fmt.Sprint(seqs[i])
		}
		i = j + 1
	}
	return s
}
