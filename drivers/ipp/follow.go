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
}

// printerWatchEvery is how many job polls pass between two reads of the
// printer's own state while a job prints.
const printerWatchEvery = 3

// follow polls the job until it ends, reporting progress when it changes,
// and watches the printer's state and reasons (stopped, media-empty,
// paused, ...) while it prints.
func (d *Driver) follow(ctx context.Context, log zerolog.Logger, jobID int, doc drivers.Document, progress func(drivers.Progress)) (drivers.Outcome, error) {
	ticker := time.NewTicker(d.cfg.PollInterval)
	defer ticker.Stop()
	var last drivers.Progress
	var printer drivers.Status
	failures, lostContact := 0, false
	for poll := 0; ; poll++ {
		js, err := d.jobStatus(ctx, jobID)
		switch {
		case ctx.Err() != nil:
			return d.cancelJob(log, jobID, ctx.Err())
		case isGone(err) && lostContact:
			return drivers.Retry, fmt.Errorf("ipp: job %d: the printer was unreachable and no longer knows the job (restarted?): %w", jobID, err)
		case isGone(err):
			// Like CUPS: printers may forget finished jobs at once.
			log.Warn().Err(err).Msg("printer no longer knows the job; taking it as completed")
			progress(finished(doc))
			return drivers.OK, nil
		case err != nil:
			failures++
			lostContact = true
			log.Warn().Int("failures", failures).Err(err).Msg("cannot read job state")
			if failures >= maxPollFailures {
				return drivers.Retry, fmt.Errorf("ipp: job %d: lost the printer while following the job: %w", jobID, err)
			}
		case js.name != "" && js.name != truncate(doc.Name, maxName):
			return drivers.Retry, fmt.Errorf("ipp: job %d is now %q, not ours: the printer restarted and lost the job", jobID, js.name)
		default:
			failures = 0
			if out, done, err := js.outcome(jobID); done {
				if out == drivers.OK {
					progress(finished(doc))
				}
				return out, err
			}
			if poll%printerWatchEvery == 0 {
				printer = d.watchPrinter(ctx, log, printer)
			}
			p := js.progress(doc, d.cfg.Sides)
			p.PrinterState, p.PrinterReasons = printer.State, strings.Join(printer.Reasons, ",")
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
	js := jobStatus{sheets: -1, impressions: -1}
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

// progress converts the job status to a progress report. Impressions are
// counted as sheets, or two to a sheet when printing two-sided.
func (js jobStatus) progress(doc drivers.Document, sides string) drivers.Progress {
	p := drivers.Progress{Sheets: doc.Sheets, State: stateName(js.state), Message: js.message}
	switch {
	case js.sheets >= 0:
		p.SheetsDone, p.Confirmed = js.sheets, true
	case js.impressions >= 0 && strings.HasPrefix(sides, "two-sided"):
		// A sheet counts once both its sides are printed.
		p.SheetsDone, p.Confirmed = js.impressions/2, true
	case js.impressions >= 0:
		p.SheetsDone, p.Confirmed = js.impressions, true
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
