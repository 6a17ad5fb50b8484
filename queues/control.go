package queues

import (
	"fmt"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// loadPrinterStates reads the operator's printer states from the spool.
func (s *Service) loadPrinterStates() error {
	for name, q := range s.printers {
		ps, err := s.store.PrinterState(name)
		if err != nil {
			return err
		}
		q.state = ps
	}
	return nil
}

// setPrinterState changes and persists a printer's operator state.
func (s *Service) setPrinterState(q *printerQueue, fn func(*spool.PrinterState)) (spool.PrinterState, error) {
	ps, err := s.store.UpdatePrinterState(q.Name, fn)
	if err != nil {
		return ps, err
	}
	q.mu.Lock()
	q.state = ps
	q.mu.Unlock()
	s.router.Wake()
	q.wake()
	return ps, nil
}

// printerVerb is what the operator's printer verb action does to the
// printer's state, or nil for an unknown verb.
func printerVerb(action string) func(ps *spool.PrinterState, sending bool) {
	switch action {
	case api.PrinterPause:
		return func(ps *spool.PrinterState, _ bool) {
			ps.Paused, ps.Draining, ps.Reason = true, false, "paused by the operator"
		}
	case api.PrinterResume:
		return func(ps *spool.PrinterState, _ bool) {
			ps.Paused, ps.Draining, ps.Stopped, ps.Reason = false, false, false, ""
		}
	case api.PrinterDisable:
		return func(ps *spool.PrinterState, _ bool) { ps.Disabled, ps.Reason = true, "disabled by the operator" }
	case api.PrinterEnable:
		return func(ps *spool.PrinterState, _ bool) { ps.Disabled = false }
	case api.PrinterDrain:
		return func(ps *spool.PrinterState, sending bool) {
			// Finish what is being sent, then pause.
			ps.Draining, ps.Paused, ps.Reason = sending, !sending, "drained by the operator"
		}
	}
	return nil
}

// printerAction applies an operator's verb to printer name.
func (s *Service) printerAction(name, action string) (spool.PrinterState, error) {
	q := s.printers[name]
	if q == nil {
		return spool.PrinterState{}, fmt.Errorf("%w: printer %q is not configured", api.ErrNotFound, name)
	}
	fn := printerVerb(action)
	if fn == nil {
		return spool.PrinterState{}, fmt.Errorf("%w: printer action %q; want pause, resume, enable, disable or drain", api.ErrBadRequest, action)
	}
	q.mu.Lock()
	sending := q.sending != nil
	q.mu.Unlock()
	if action == api.PrinterResume {
		q.mu.Lock()
		q.pauseUntil, q.faultedUntil, q.failures = time.Time{}, time.Time{}, 0
		q.mu.Unlock()
	}
	s.log.Info().Str("printer", name).Str("action", action).Msg("printer state set by the operator")
	return s.setPrinterState(q, func(ps *spool.PrinterState) { fn(ps, sending) })
}

// drained pauses a draining printer once it sent what it was sending.
func (s *Service) drained(q *printerQueue) {
	s.setPrinterState(q, func(ps *spool.PrinterState) {
		if ps.Draining {
			ps.Draining, ps.Paused = false, true
		}
	})
	s.log.Info().Str("printer", q.Name).Msg("printer drained and paused")
}

// stopPrinter stops the printer by its error policy until an operator
// resumes it; its pool work fails over.
func (s *Service) stopPrinter(q *printerQueue, why string) {
	s.setPrinterState(q, func(ps *spool.PrinterState) { ps.Stopped, ps.Reason = true, why })
	s.log.Warn().Str("printer", q.Name).Str("reason", why).Msg("printer stopped by its error policy")
}
