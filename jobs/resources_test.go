package jobs

import (
	"slices"
	"testing"

	"github.com/omsd/omsd/spool"
)

// TestResourceHold is the table of holds for resources and where a job
// goes when space returns.
func TestResourceHold(t *testing.T) {
	tests := []struct {
		name    string
		j       spool.Job
		held    []string
		resumed spool.State
		reason  string
	}{
		{"waiting for analysis", spool.Job{State: spool.Pending, StateReasons: []string{"job-queued"}},
			[]string{ReasonResources}, spool.Pending, "job-queued"},
		{"held by the operator", spool.Job{State: spool.Held, StateReasons: []string{ReasonHoldSpecified}},
			[]string{ReasonResources, ReasonHoldSpecified}, spool.Held, ReasonHoldSpecified},
		{"in intake", spool.Job{State: spool.Pending, StateReasons: []string{ReasonIncoming}},
			[]string{ReasonResources, ReasonIncoming}, spool.Pending, ReasonIncoming},
		{"being sent", spool.Job{State: spool.Processing, StateReasons: []string{"job-printing"}, Pieces: 2, Outputs: []spool.Output{{Seqs: []int{1, 2}}}},
			[]string{ReasonResources}, spool.Pending, "job-queued"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			held := tt.j
			held.State, held.StateReasons = spool.Held, HeldReasons(tt.j)
			if !slices.Equal(held.StateReasons, tt.held) {
				t.Fatalf("held with %v; want %v", held.StateReasons, tt.held)
			}
			if !HeldForResources(held) {
				t.Fatal("heldForResources = false")
			}
			st, reasons := Resumed(held)
			if st != tt.resumed || !slices.Contains(reasons, tt.reason) || slices.Contains(reasons, ReasonResources) {
				t.Fatalf("resumed to %s %v; want %s %s", st, reasons, tt.resumed, tt.reason)
			}
		})
	}
}
