package queues

import (
	"fmt"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/spool"
)

// confirmedPieces counts the leading pieces whose sheets all lie within
// the first done sheets.
func confirmedPieces(sheets []int, done int) int {
	n, total := 0, 0
	for _, s := range sheets {
		if total+s > done {
			break
		}
		total += s
		n++
	}
	return n
}

// progress returns the callback that publishes an attempt's progress and
// records, as soon as the device confirms them, the pieces it printed:
// after a fault the output is resent from the first unconfirmed piece.
func (s *Service) progress(a attempt) func(drivers.Progress) {
	confirmed := 0 // pieces of this attempt confirmed so far
	return func(p drivers.Progress) {
		if p.CopyDone > 0 {
			s.copyDone(a, p.CopyDone)
			return
		}
		if p.Confirmed {
			if n := confirmedPieces(a.sheets, p.SheetsDone); n > confirmed {
				s.confirm(a, confirmed, n)
				confirmed = n
			}
		}
		a.q.mu.Lock()
		a.q.sendingDone = p.SheetsDone
		a.q.mu.Unlock()
		msg := p.Message
		if p.PrinterState == "stopped" || (p.PrinterReasons != "" && p.PrinterReasons != "none") {
			msg = fmt.Sprintf("printer %s %s (%s) %s", a.q.Name, p.PrinterState, p.PrinterReasons, msg)
		}
		s.pub.Publish(api.Event{
			Time: time.Now().UTC(), Job: a.job.ID, Type: api.EventProgress, State: string(spool.Processing),
			Printer: a.q.Name, Output: a.out.Name, SheetsDone: p.SheetsDone, Sheets: a.doc.Sheets, Message: msg,
		})
	}
}

// copyDone records that the printer took copy n of an attempt's output
// whole, before the next copy is sent: a resend after a crash starts
// after it. A crash between the device taking the copy and this record
// sends that one copy again.
func (s *Service) copyDone(a attempt, n int) {
	_, err := s.store.UpdateJob(a.job.ID, func(j *spool.Job) error {
		if a.k.out < len(j.Outputs) {
			j.Outputs[a.k.out].CopiesDone = max(j.Outputs[a.k.out].CopiesDone, n)
		}
		return nil
	})
	if err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Int("copy", n).Msg("recording a copy taken by the printer")
	}
	s.pub.Publish(api.Event{
		Time: time.Now().UTC(), Job: a.job.ID, Type: api.EventProgress, State: string(spool.Processing),
		Printer: a.q.Name, Output: a.out.Name, Sheets: a.doc.Sheets, Message: fmt.Sprintf("copy %d of %d taken by %s", n, a.doc.Copies, a.q.Name),
	})
}

// confirm records pieces [from, to) of an attempt as printed.
func (s *Service) confirm(a attempt, from, to int) {
	base := a.out.Confirmed
	sheets := sum(a.sheets[from:to])
	_, err := s.store.UpdateJob(a.job.ID, func(j *spool.Job) error {
		if a.k.out < len(j.Outputs) {
			j.Outputs[a.k.out].Confirmed = base + to
		}
		j.SheetsSent += sheets
		return nil
	})
	if err == nil {
		err = s.store.ConfirmPieces(a.job.ID, a.seqs[from:to], a.q.Name)
	}
	if err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Msg("recording confirmed pieces")
	}
}
