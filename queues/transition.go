package queues

import (
	"fmt"
	"slices"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// requeue says when a job that goes back to pending is tried again.
type requeue int

const (
	noRequeue  requeue = iota // the job leaves the queue
	retryLater                // after the spool's retry delay
	retryNow                  // at once
)

// change is what a device outcome does to the job and its printer.
type change struct {
	State       spool.State
	Reasons     []string // IPP job-state-reasons
	Requeue     requeue
	StopPrinter bool // pause the printer's queue for the retry delay
}

// transition maps a driver's outcome to the job's next state, following the
// rules of a CUPS backend's exit codes.
func transition(o drivers.Outcome) change {
	switch o {
	case drivers.OK:
		return change{State: spool.Completed, Reasons: []string{"job-completed-successfully"}}
	case drivers.Hold:
		return change{State: spool.Held, Reasons: []string{"job-hold-until-specified"}}
	case drivers.StopQueue:
		return change{State: spool.Pending, Reasons: []string{"printer-stopped"}, Requeue: retryLater, StopPrinter: true}
	case drivers.Cancel:
		return change{State: spool.Canceled, Reasons: []string{"job-canceled-at-device"}}
	case drivers.Retry:
		return change{State: spool.Pending, Reasons: []string{"job-queued"}, Requeue: retryLater}
	case drivers.RetryCurrent:
		return change{State: spool.Pending, Reasons: []string{"job-queued"}, Requeue: retryNow}
	default: // drivers.Failed and anything unknown
		return change{State: spool.Aborted, Reasons: []string{"aborted-by-system"}}
	}
}

// verb is an operator's command on a job.
type verb string

const (
	verbRelease verb = "released"
	verbRestart verb = "restarted"
)

// operatorRule decides whether an operator may release or restart job j,
// and the state a release (or the restart of a job never analysed, which
// analyses it again) takes it to. data is nil when the job's print file is
// in the spool, else why it is not. Held, stopped and aborted jobs can be
// released, aborted ones only while their print file is in the spool; any
// job not being sent or taken in can be restarted if its print file is in
// the spool. A job never analysed is analysed again.
func operatorRule(v verb, j spool.Job, data error) (spool.State, []string, error) {
	switch {
	case j.State == spool.Processing:
		return "", nil, fmt.Errorf("%w: job %d is being sent; hold it or wait for it, then %s", api.ErrConflict, j.ID, strings.TrimSuffix(string(v), "ed"))
	case v == verbRelease && !slices.Contains([]spool.State{spool.Held, spool.Stopped, spool.Aborted}, j.State):
		return "", nil, fmt.Errorf("%w: job %d is %s; only a held, stopped or aborted job can be released", api.ErrConflict, j.ID, j.State)
	case jobs.Incoming(j) && v == verbRelease && j.State == spool.Held:
		return spool.Pending, []string{jobs.ReasonIncoming}, nil // its file waits in the hot folder
	case jobs.Incoming(j):
		return "", nil, fmt.Errorf("%w: job %d never received its print file (%s); drop the file into the hot folder again", api.ErrConflict, j.ID, j.Message)
	case data != nil && (v == verbRestart || j.State == spool.Aborted || !jobs.Analyzed(j)):
		return "", nil, fmt.Errorf("%w: job %d cannot be %s: %w", api.ErrConflict, j.ID, v, data)
	case !jobs.Analyzed(j), v == verbRestart:
		return spool.Pending, []string{"job-queued"}, nil // analysed again, or its reprints queued
	}
	st, reasons := jobs.Released(j)
	return st, reasons, nil
}
