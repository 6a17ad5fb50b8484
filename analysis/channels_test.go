package analysis

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// routeAll routes every piece to one channel.
type routeAll string

func (c routeAll) Route(spool.Job, config.Workflow) (pipeline.Route, error) {
	return func(mailpiece.Piece) string { return string(c) }, nil
}

// TestChannelsDecideBeforePlanning: the pieces carry the channel decided
// for them; a job whose every piece left the print run has no output and
// is completed, not left waiting for a printer.
func TestChannelsDecideBeforePlanning(t *testing.T) {
	for _, tt := range []struct {
		channel string
		outputs int
		state   spool.State
	}{{"email", 0, spool.Completed}, {"email+print", 1, spool.Pending}} {
		s := newTestService(t)
		s.DecideChannels(routeAll(tt.channel))
		j, err := s.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Pending,
			StateReasons: []string{"job-queued"}, Source: "api", Input: "input.pdf"})
		if err != nil {
			t.Fatal(err)
		}
		dir, _ := s.store.MakeJobDir(j.ID)
		if err := pdftest.WriteFile(filepath.Join(dir, "input.pdf"), pdftest.Options{Pieces: []int{1, 2}, Bookmarks: true}); err != nil {
			t.Fatal(err)
		}
		s.analyze(context.Background(), j)
		got, _ := s.store.Job(j.ID)
		pieces, _ := s.store.Pieces(j.ID)
		if got.State != tt.state || len(got.Outputs) != tt.outputs || len(pieces) != 2 || pieces[0].Channel != tt.channel {
			t.Errorf("%s: job %s %v (%s), %d outputs, pieces %+v", tt.channel, got.State, got.StateReasons, got.Message, len(got.Outputs), pieces)
		}
		if tt.outputs == 0 {
			if outs, _ := filepath.Glob(filepath.Join(dir, "output*")); len(outs) != 0 {
				t.Errorf("%s: outputs written: %v", tt.channel, outs)
			}
		}
		os.RemoveAll(dir)
	}
}
