package queues

import (
	"errors"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
)

// TestRestartCompacted: a job whose print data retention removed is not
// restarted; the operator is told to submit the file again.
func TestRestartCompacted(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	pub, err := events.NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, store, pub, events.NewSignal(), nil, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	done, err := store.CreateJob(spool.Job{Name: "done.pdf", Workflow: "default", Printer: "file", State: spool.Completed, Pieces: 1,
		Outputs: []spool.Output{{Name: "main", Seqs: []int{1}, Sent: true, Confirmed: 1}}, Compacted: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.restart(done.ID, api.JobRestart{Pieces: []int{1}}); !errors.Is(err, api.ErrConflict) {
		t.Errorf("restart of a compacted job: %v, want a conflict", err)
	}
}
