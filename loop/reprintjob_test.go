package loop

import (
	"testing"

	"github.com/omsd/omsd/spool"
)

// TestReprintJobKeepsTheCopies: a reprint of a run printed in 3 copies
// prints its pieces in 3 copies again, a generation above, on the printer
// given.
func TestReprintJobKeepsTheCopies(t *testing.T) {
	root := spool.Job{ID: 7, Name: "run.pdf", Workflow: "mail", Printer: "p1", Input: "input.pdf", Priority: 5, Copies: 3}
	j := reprintJob(root, "p2", 2, 0)
	if j.Copies != 3 || j.ReprintOf != 7 || j.Generation != 2 || j.Printer != "p2" || j.Priority != 5 || j.Name != "run.pdf (reprint 2)" {
		t.Errorf("reprint job %+v; want copies 3 of job 7, generation 2 on p2", j)
	}
	if j := reprintJob(spool.Job{ID: 8}, "p1", 1, 0); j.Copies != 0 {
		t.Errorf("a reprint of a one-copy run asks for %d copies", j.Copies)
	}
	if j := reprintJob(root, "p1", 2, 1); j.Copies != 1 {
		t.Errorf("a reprint the operator asked one copy of makes %d", j.Copies)
	}
}
