package queues

import (
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
)

// An output event tells one transmission of one output (a pool's chunk):
// which output, on which printer, which attempt. The job's state events
// carry only its latest message, so when the chunks of a pooled job print
// on several printers at once these events are the record of what went
// where.

// attemptLog is the logger of an attempt: its job, output, printer,
// attempt, and the piece it starts from.
func (s *Service) attemptLog(a attempt) zerolog.Logger {
	c := s.log.With().Int64("job", a.job.ID).Int("output", a.k.out+1).Str("chunk", a.out.Name).
		Str("printer", a.q.Name).Int("attempt", a.out.Attempts)
	if len(a.seqs) > 0 {
		c = c.Int("from_piece", a.seqs[0])
	}
	return c.Logger()
}

// outputEvent records an event of type typ about attempt a, with the
// reason keyword that says what it is (events.ReasonOutput...).
func (s *Service) outputEvent(a attempt, typ, reason, msg string) {
	e := spool.Event{Time: time.Now().UTC(), Job: a.job.ID, Type: typ, Reasons: []string{reason}, Message: msg,
		Printer: a.q.Name, Output: a.out.Name, Attempt: a.out.Attempts}
	if _, err := s.store.AddEvent(e); err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Msg("recording an output event")
	}
	s.pub.Flush()
}

// noteSending records that attempt a begins.
func (s *Service) noteSending(a attempt) {
	msg := fmt.Sprintf("output %s: sending %d pieces to %s, attempt %d", a.out.Name, len(a.seqs), a.q.Name, a.out.Attempts)
	if len(a.seqs) > 0 {
		msg += fmt.Sprintf(", from piece %d", a.seqs[0])
	}
	s.outputEvent(a, "info", events.ReasonOutputSending, msg)
	log := s.attemptLog(a)
	log.Info().Int("pieces", len(a.seqs)).Msg("sending output")
}

// noteOutcome records how attempt a ended.
func (s *Service) noteOutcome(a attempt, outcome drivers.Outcome, msg string) {
	if outcome == drivers.OK {
		s.outputEvent(a, "info", events.ReasonOutputSent, fmt.Sprintf("output %s: sent to %s, attempt %d: %d pieces, %d sheets", a.out.Name, a.q.Name, a.out.Attempts, len(a.seqs), a.doc.Sheets))
		return
	}
	s.outputEvent(a, "warning", events.ReasonOutputFailed, fmt.Sprintf("output %s: attempt %d on %s: %s", a.out.Name, a.out.Attempts, a.q.Name, msg))
}

// outputMessage is the job's message about output o: the output is named
// when the job has several.
func outputMessage(j *spool.Job, o spool.Output, msg string) string {
	if len(j.Outputs) < 2 {
		return msg
	}
	return "output " + o.Name + ": " + msg
}
