package queues

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/jobs"
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

// TestOperatorRule is the table of what an operator's release and
// restart may do to a job in each state, with and without its print file.
func TestOperatorRule(t *testing.T) {
	gone := errors.New("its print file is no longer in the spool")
	unsent := []spool.Output{{Name: "main", Seqs: []int{1, 2}}}
	sent := []spool.Output{{Name: "main", Seqs: []int{1, 2}, Sent: true, Confirmed: 2}}
	job := func(st spool.State, pieces int, outs []spool.Output, reasons ...string) spool.Job {
		return spool.Job{ID: 7, State: st, StateReasons: reasons, Pieces: pieces, Outputs: outs, Message: "no space left on /spool"}
	}
	tests := []struct {
		name    string
		v       verb
		j       spool.Job
		data    error
		state   spool.State
		reason  string
		errText string // "" when allowed
	}{
		{"release held by the operator", verbRelease, job(spool.Held, 2, unsent, jobs.ReasonHoldSpecified), nil, spool.Pending, "job-queued", ""},
		{"release held for resources, analysed", verbRelease, job(spool.Held, 2, unsent, jobs.ReasonResources), nil, spool.Pending, "job-queued", ""},
		{"release held for resources, never analysed", verbRelease, job(spool.Held, 0, nil, jobs.ReasonResources), nil, spool.Pending, "job-queued", ""},
		{"release held for resources in intake", verbRelease, job(spool.Held, 0, nil, jobs.ReasonResources, jobs.ReasonIncoming), gone, spool.Pending, jobs.ReasonIncoming, ""},
		{"release held, never analysed, file gone", verbRelease, job(spool.Held, 0, nil, jobs.ReasonResources), gone, "", "", "no longer in the spool"},
		{"release stopped", verbRelease, job(spool.Stopped, 2, unsent, "printer-stopped"), nil, spool.Pending, "job-queued", ""},
		{"release aborted in analysis, file kept", verbRelease, job(spool.Aborted, 0, nil, "aborted-by-system"), nil, spool.Pending, "job-queued", ""},
		{"release aborted while sending, file kept", verbRelease, job(spool.Aborted, 2, unsent, "aborted-by-system"), nil, spool.Pending, "job-queued", ""},
		{"release aborted, file gone", verbRelease, job(spool.Aborted, 0, nil, "document-format-error"), gone, "", "", "job 7 cannot be released: its print file is no longer in the spool"},
		{"release aborted in intake", verbRelease, job(spool.Aborted, 0, nil, jobs.ReasonIncoming), gone, "", "", "never received its print file"},
		{"release pending", verbRelease, job(spool.Pending, 2, unsent, "job-queued"), nil, "", "", "only a held, stopped or aborted job"},
		{"release completed", verbRelease, job(spool.Completed, 2, sent, "job-completed-successfully"), nil, "", "", "is completed"},
		{"release canceled", verbRelease, job(spool.Canceled, 2, unsent, "job-canceled-by-user"), nil, "", "", "is canceled"},
		{"release processing", verbRelease, job(spool.Processing, 2, unsent, "job-printing"), nil, "", "", "being sent"},
		{"restart aborted in analysis, file kept", verbRestart, job(spool.Aborted, 0, nil, "aborted-by-system"), nil, spool.Pending, "job-queued", ""},
		{"restart aborted, file gone", verbRestart, job(spool.Aborted, 0, nil, "aborted-by-system"), gone, "", "", "cannot be restarted: its print file"},
		{"restart held for resources", verbRestart, job(spool.Held, 0, nil, jobs.ReasonResources), nil, spool.Pending, "job-queued", ""},
		{"restart completed", verbRestart, job(spool.Completed, 2, sent, "job-completed-successfully"), nil, spool.Pending, "job-queued", ""},
		{"restart completed, file gone", verbRestart, job(spool.Completed, 2, sent, "job-completed-successfully"), gone, "", "", "no longer in the spool"},
		{"restart processing", verbRestart, job(spool.Processing, 2, unsent, "job-printing"), nil, "", "", "being sent; hold it or wait for it, then restart"},
		{"restart in intake", verbRestart, job(spool.Pending, 0, nil, jobs.ReasonIncoming), nil, "", "", "never received its print file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, reasons, err := operatorRule(tt.v, tt.j, tt.data)
			if tt.errText != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errText) || !errors.Is(err, api.ErrConflict) {
					t.Fatalf("err = %v; want a conflict saying %q", err, tt.errText)
				}
				return
			}
			if err != nil || st != tt.state || !slices.Contains(reasons, tt.reason) {
				t.Fatalf("= %s %v %v; want %s %s", st, reasons, err, tt.state, tt.reason)
			}
		})
	}
}
