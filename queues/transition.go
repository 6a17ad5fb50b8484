package queues

import (
	"github.com/omsd/omsd/drivers"
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
