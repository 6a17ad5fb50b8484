// Package jobs holds what the services know alike about a spooled job: the
// reasons that mark where it stands (incoming, queued), its run (the first
// job of a run and its reprints), its pieces by sequence, composing a subset
// of its pieces from its input, and its API form. Reader is the read side
// the API and the console share.
//
// A job moves through the services in this order (each package's doc says
// which states it writes):
//
//	intake    creates it pending/held with reason job-incoming, then queues it
//	analysis  gives it pieces, outputs and a plan, or aborts it
//	queues    sends its outputs: processing, then completed, held, stopped,
//	          canceled or aborted; operators hold, release, cancel, move it
//	loop      follows its pieces through the inserting line, holds it on an
//	          alarm or for a reprint decision, and closes its run
package jobs

import (
	"errors"
	"fmt"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// ReasonIncoming marks a job whose print file is not yet in the spool.
const ReasonIncoming = "job-incoming"

// Analyzed reports whether the job's pieces and output are ready.
func Analyzed(j spool.Job) bool { return j.Pieces > 0 }

// Incoming reports whether the job's files are still being taken in.
func Incoming(j spool.Job) bool {
	for _, r := range j.StateReasons {
		if r == ReasonIncoming {
			return true
		}
	}
	return false
}

// QueuedReason is the reason a job waits in state s.
func QueuedReason(s spool.State) string {
	if s == spool.Held {
		return "job-hold-until-specified"
	}
	return "job-queued"
}

// RemoveReason returns reasons without r.
func RemoveReason(reasons []string, r string) []string {
	out := reasons[:0:0]
	for _, x := range reasons {
		if x != r {
			out = append(out, x)
		}
	}
	return out
}

// Released is the state a held job returns to: completed when every
// output was printed, else pending.
func Released(j spool.Job) (spool.State, []string) {
	if len(j.Outputs) == 0 {
		return spool.Pending, []string{"job-queued"}
	}
	for _, o := range j.Outputs {
		if !o.Sent {
			return spool.Pending, []string{"job-queued"}
		}
	}
	return spool.Completed, []string{"job-completed-successfully"}
}

// Root is the first job of the run j belongs to.
func Root(j spool.Job) int64 {
	if j.ReprintOf != 0 {
		return j.ReprintOf
	}
	return j.ID
}

// Target is the printer or pool output o of job j goes to.
func Target(j spool.Job, o spool.Output) string {
	if o.Target != "" {
		return o.Target
	}
	return j.Printer
}

// Find reads job id; a job that does not exist is api.ErrNotFound.
func Find(store *spool.Store, id int64) (spool.Job, error) {
	j, err := store.Job(id)
	if errors.Is(err, spool.ErrNotFound) {
		return j, fmt.Errorf("%w: job %d does not exist", api.ErrNotFound, id)
	}
	return j, err
}

// KeptData refuses to work on a job whose print data retention removed.
func KeptData(j spool.Job) error {
	if j.Compacted.IsZero() {
		return nil
	}
	return fmt.Errorf("%w: job %d's print data was removed on %s after spool.retention; submit the file again",
		api.ErrConflict, j.ID, j.Compacted.Format(time.DateOnly))
}
