package ipp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	goipp "github.com/phin1x/go-ipp"
	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// maxPollFailures is how many Get-Job-Attributes requests in a row may
// fail while following a job before Send gives up with Retry.
const maxPollFailures = 10

// cancelTimeout bounds the Cancel-Job request sent after ctx ended.
const cancelTimeout = 10 * time.Second

// IPP job-state values.
const (
	jobPending           = 3
	jobHeld              = 4
	jobProcessing        = 5
	jobProcessingStopped = 6
	jobCanceled          = 7
	jobAborted           = 8
	jobCompleted         = 9
)

var jobStateNames = map[int]string{
	jobPending: "pending", jobHeld: "pending-held", jobProcessing: "processing",
	jobProcessingStopped: "processing-stopped", jobCanceled: "canceled",
	jobAborted: "aborted", jobCompleted: "completed",
}

// jobStatus is what Get-Job-Attributes told about a job.
type jobStatus struct {
	state       int
	reasons     []string
	message     string
	name        string // job-name, "" if not sent
	sheets      int    // job-media-sheets-completed, -1 if not sent
	impressions int    // job-impressions-completed, -1 if not sent
	upTime      int    // job-printer-up-time, -1 if not sent
}

// printerWatchEvery is how many job polls pass between two reads of the
// printer's own state while a job prints.
const printerWatchEvery = 3

// follower is what following one job has learnt: the sheets the printer
// confirmed printed, its up-time, and whether contact was lost.
type follower struct {
	d           *Driver
	log         zerolog.Logger
	jobID       int
	doc         drivers.Document
	progress    func(drivers.Progress)
	clock       upClock
	confirmed   int // sheets the printer reported printed, before any sign of a restart
	failures    int // failed polls in a row
	lostContact bool
}

// follow polls the job until it ends, reporting progress when it changes,
// and watches the printer's state and reasons (stopped, media-empty,
// paused, ...) while it prints. clock holds the printer's up-time read
// before the job was created.
func (d *Driver) follow(ctx context.Context, log zerolog.Logger, jobID int, doc drivers.Document, progress func(drivers.Progress), clock upClock) (drivers.Outcome, error) {
	f := &follower{d: d, log: log, jobID: jobID, doc: doc, progress: progress, clock: clock}
	ticker := time.NewTicker(d.cfg.PollInterval)
	defer ticker.Stop()
	var last drivers.Progress
	var printer drivers.Status
	for poll := 0; ; poll++ {
		sent := time.Now()
		js, err := d.jobStatus(ctx, jobID)
		switch {
		case ctx.Err() != nil:
			return d.cancelJob(log, jobID, ctx.Err())
		case isGone(err):
			return f.forgotten(ctx, err)
		case err != nil:
			f.failures++
			f.lostContact = true
			log.Warn().Int("failures", f.failures).Err(err).Msg("cannot read job state")
			if f.failures >= maxPollFailures {
				return f.unconfirmed(fmt.Errorf("ipp: job %d: lost the printer while following the job: %w", jobID, err))
			}
		default:
			f.failures = 0
			if out, done, err := f.reading(js, sent, time.Now()); done {
				return out, err
			}
			if poll%printerWatchEvery == 0 {
				printer = d.watchPrinter(ctx, log, printer)
			}
			p := js.progress(doc, d.cfg.Sides, d.copies(doc))
			p.PrinterState, p.PrinterReasons = printer.State, strings.Join(printer.Reasons, ",")
			if p.Confirmed {
				f.confirmed = max(f.confirmed, p.SheetsDone)
			}
			if p != last {
				progress(p)
				last = p
			}
		}
		select {
		case <-ctx.Done():
			return d.cancelJob(log, jobID, ctx.Err())
		case <-ticker.C:
		}
	}
}

// reading checks one answer to Get-Job-Attributes, read by a request sent
// at sent and answered at got: it is about our job only if the printer
// has not restarted and the job still has our name. done says the job
// ended, with its outcome.
func (f *follower) reading(js jobStatus, sent, got time.Time) (out drivers.Outcome, done bool, err error) {
	if js.upTime >= 0 {
		if why := f.clock.observe(js.upTime, sent, got); why != "" {
			out, err = f.unconfirmed(fmt.Errorf("%w: ipp: job %d: the printer restarted (%s); job %d is no longer ours", ErrJobLost, f.jobID, why, f.jobID))
			return out, true, err
		}
	}
	if js.name != "" && js.name != truncate(f.doc.Name, maxName) {
		out, err = f.unconfirmed(fmt.Errorf("%w: ipp: job %d is now %q, not ours: the printer restarted and lost the job", ErrJobLost, f.jobID, js.name))
		return out, true, err
	}
	out, done, err = js.outcome(f.jobID)
	if done && out == drivers.OK {
		f.progress(finished(f.doc))
	}
	return out, done, err
}

// forgotten decides what a job the printer no longer knows
// (client-error-not-found or -gone) means. A printer forgets its jobs when
// it restarts, and some forget finished jobs at once; only evidence tells
// the two apart: the printer reported every sheet printed before it forgot
// the job. Otherwise the job is not completed.
func (f *follower) forgotten(ctx context.Context, gone error) (drivers.Outcome, error) {
	why := "it never reported the job completed"
	switch {
	case f.lostContact:
		why = "the printer was unreachable before (restarted?)"
	default:
		if restart := f.checkRestart(ctx); restart != "" {
			why = "the printer restarted: " + restart
		}
	}
	return f.unconfirmed(fmt.Errorf("%w: ipp: job %d: the printer no longer knows the job and %s: %w", ErrJobLost, f.jobID, why, gone))
}

// checkRestart reads the printer's up-time and returns what shows that it
// restarted, or "".
func (f *follower) checkRestart(ctx context.Context) string {
	sent := time.Now()
	resp, err := f.d.call(ctx, "Get-Printer-Attributes", f.d.printerAttrsRequest())
	if err != nil {
		return ""
	}
	up, ok := firstInt(firstGroup(resp.PrinterAttributes), attrPrinterUpTime)
	if !ok {
		return ""
	}
	return f.clock.observe(up, sent, time.Now())
}

// unconfirmed ends a job whose end the printer did not report: completed
// if the printer had reported every sheet printed, else Retry with err, so
// that it is sent again from its first unconfirmed piece.
func (f *follower) unconfirmed(err error) (drivers.Outcome, error) {
	if f.doc.Sheets > 0 && f.confirmed >= f.doc.Sheets {
		f.log.Warn().Err(err).Int("sheets", f.confirmed).Msg("the printer had reported every sheet printed; taking the job as completed")
		f.progress(finished(f.doc))
		return drivers.OK, nil
	}
	f.log.Warn().Err(err).Int("sheets_confirmed", f.confirmed).Int("sheets", f.doc.Sheets).Msg("job not confirmed; it is sent again from its first unconfirmed piece")
	return drivers.Retry, err
}

// watchPrinter reads the printer's state while a job prints and logs a
// change; on an error it keeps the last state.
func (d *Driver) watchPrinter(ctx context.Context, log zerolog.Logger, last drivers.Status) drivers.Status {
	st, err := d.Status(ctx)
	if err != nil {
		return last
	}
	if st.State != last.State || strings.Join(st.Reasons, ",") != strings.Join(last.Reasons, ",") {
		log.Info().Str("printer_state", st.State).Strs("printer_reasons", st.Reasons).Msg("printer state while printing")
	}
	return st
}

// jobStatus reads the job's state with Get-Job-Attributes.
func (d *Driver) jobStatus(ctx context.Context, jobID int) (jobStatus, error) {
	resp, err := d.call(ctx, "Get-Job-Attributes", d.jobRequest(goipp.OperationGetJobAttributes, jobID))
	if err != nil {
		return jobStatus{}, err
	}
	attrs := firstGroup(resp.JobAttributes)
	js := jobStatus{sheets: -1, impressions: -1, upTime: -1}
	js.state, _ = firstInt(attrs, goipp.AttributeJobState)
	js.reasons = allStrings(attrs, goipp.AttributeJobStateReasons)
	js.message, _ = firstString(attrs, goipp.AttributeJobStateMessage)
	js.name, _ = firstString(attrs, goipp.AttributeJobName)
	if v, ok := firstInt(attrs, "job-media-sheets-completed"); ok {
		js.sheets = v
	}
	if v, ok := firstInt(attrs, goipp.AttributeJobImpressionsCompleted); ok {
		js.impressions = v
	}
	if v, ok := firstInt(attrs, attrJobPrinterUpTime); ok {
		js.upTime = v
	}
	return js, nil
}

// outcome tells whether the job has ended, and how.
func (js jobStatus) outcome(jobID int) (out drivers.Outcome, done bool, err error) {
	switch js.state {
	case jobCompleted:
		return drivers.OK, true, nil
	case jobAborted:
		return drivers.Failed, true, fmt.Errorf("ipp: job %d: %w: %s", jobID, ErrJobAborted, js.explain())
	case jobCanceled:
		return drivers.Cancel, true, fmt.Errorf("ipp: job %d: %w: %s", jobID, ErrJobCanceled, js.explain())
	}
	return drivers.OK, false, nil
}

// explain joins the job-state-reasons and job-state-message.
func (js jobStatus) explain() string {
	s := "job-state-reasons " + strings.Join(js.reasons, ",")
	if js.message != "" {
		s += " (" + js.message + ")"
	}
	return s
}

// progress converts the job status to a progress report, in the
// document's sheets. What the printer counts covers every copy, so it is
// divided by the copies. Impressions are pages printed: two make a sheet
// when the printer prints two-sided or the document was planned duplex
// (more pages than sheets), so that a sheet is never confirmed before both
// its sides are printed.
func (js jobStatus) progress(doc drivers.Document, sides string, copies int) drivers.Progress {
	p := drivers.Progress{Sheets: doc.Sheets, State: stateName(js.state), Message: js.message}
	copies = max(copies, 1)
	switch {
	case js.sheets >= 0:
		p.SheetsDone, p.Confirmed = js.sheets/copies, true
	case js.impressions >= 0 && (strings.HasPrefix(sides, "two-sided") || doc.Pages > doc.Sheets):
		p.SheetsDone, p.Confirmed = js.impressions/(2*copies), true
	case js.impressions >= 0:
		p.SheetsDone, p.Confirmed = js.impressions/copies, true
	}
	return p
}

// stateName is the keyword of a job-state value.
func stateName(state int) string {
	if name, ok := jobStateNames[state]; ok {
		return name
	}
	return fmt.Sprintf("job-state %d", state)
}

// finished is the progress report of a completed document.
func finished(doc drivers.Document) drivers.Progress {
	return drivers.Progress{SheetsDone: doc.Sheets, Sheets: doc.Sheets, State: "completed", Confirmed: true}
}

// isGone reports whether err says the printer does not know the job.
func isGone(err error) bool {
	var serr *StatusError
	return errors.As(err, &serr) && (serr.Code == goipp.StatusErrorNotFound || serr.Code == goipp.StatusErrorGone)
}

// cancelJob cancels the job at the printer after ctx ended, with a fresh
// context, and returns Cancel. A job that completed in the meantime is
// reported as OK, so it is not printed twice.
func (d *Driver) cancelJob(log zerolog.Logger, jobID int, cause error) (drivers.Outcome, error) {
	ctx, cancel := context.WithTimeout(context.Background(), min(cancelTimeout, d.cfg.Timeout))
	defer cancel()
	_, err := d.call(ctx, "Cancel-Job", d.jobRequest(goipp.OperationCancelJob, jobID))
	var serr *StatusError
	if errors.As(err, &serr) && serr.Code == goipp.StatusErrorNotPossible {
		if js, jerr := d.jobStatus(ctx, jobID); jerr == nil && js.state == jobCompleted {
			log.Info().Msg("job completed before it could be canceled")
			return drivers.OK, nil
		}
	}
	if err != nil {
		log.Warn().Err(err).Msg("Cancel-Job failed")
		return drivers.Cancel, fmt.Errorf("ipp: job %d: %w; Cancel-Job failed: %w", jobID, cause, err)
	}
	log.Info().Msg("job canceled at the printer")
	return drivers.Cancel, fmt.Errorf("ipp: job %d canceled: %w", jobID, cause)
}
