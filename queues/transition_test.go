package queues

import (
	"slices"
	"testing"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/spool"
)

func TestTransition(t *testing.T) {
	tests := []struct {
		outcome drivers.Outcome
		state   spool.State
		reason  string
		requeue requeue
		stop    bool
	}{
		{drivers.OK, spool.Completed, "job-completed-successfully", noRequeue, false},
		{drivers.Failed, spool.Aborted, "aborted-by-system", noRequeue, false},
		{drivers.Hold, spool.Held, "job-hold-until-specified", noRequeue, false},
		{drivers.StopQueue, spool.Pending, "printer-stopped", retryLater, true},
		{drivers.Cancel, spool.Canceled, "job-canceled-at-device", noRequeue, false},
		{drivers.Retry, spool.Pending, "job-queued", retryLater, false},
		{drivers.RetryCurrent, spool.Pending, "job-queued", retryNow, false},
		{drivers.Outcome(99), spool.Aborted, "aborted-by-system", noRequeue, false},
	}
	for _, tt := range tests {
		t.Run(tt.outcome.String(), func(t *testing.T) {
			c := transition(tt.outcome)
			if c.State != tt.state || !slices.Contains(c.Reasons, tt.reason) || c.Requeue != tt.requeue || c.StopPrinter != tt.stop {
				t.Errorf("transition(%v) = %+v; want state %s reason %s requeue %d stop %v", tt.outcome, c, tt.state, tt.reason, tt.requeue, tt.stop)
			}
			if c.State == spool.Pending && c.Requeue == noRequeue {
				t.Errorf("a pending job must be requeued")
			}
		})
	}
}
