package loop

import (
	"errors"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/internal/spacetest"
	"github.com/omsd/omsd/spool"
)

// TestReprintWaitsForSpace: no reprint job is set up while omsd waits for
// space, so reconciliations that retry create none.
func TestReprintWaitsForSpace(t *testing.T) {
	cfg := testConfig(t)
	s, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.store.Close()
	s.space = spacetest.Short(t, cfg.StateDir)
	root, err := s.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Completed,
		StateReasons: []string{"job-completed-successfully"}, Input: "input.pdf", Pieces: 2,
		Outputs: []spool.Output{{Name: "main", File: "output.pdf", Seqs: []int{1, 2}, Sent: true, Confirmed: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.reprint(runStatus{root: root}, []int{2}, "", 0, ReprintLine, "damaged"); !errors.Is(err, api.ErrUnavailable) || !errors.Is(err, diskspace.ErrNotReady) {
			t.Fatalf("reprint while space is low: %v", err)
		}
	}
	if js, _ := s.store.Jobs(); len(js) != 1 {
		t.Fatalf("%d jobs; want the run's only", len(js))
	}
}
