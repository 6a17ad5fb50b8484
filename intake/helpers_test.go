package intake

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// open opens cfg's spool and returns the intake on it, as the daemon builds
// it; the caller closes s.store.
func open(cfg *config.Config, log zerolog.Logger) (*Service, error) {
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		return nil, err
	}
	pub, err := events.NewPublisher(store, log)
	if err != nil {
		store.Close()
		return nil, err
	}
	s, err := New(cfg, store, pub, events.NewSignal(), log)
	if err != nil {
		store.Close()
		return nil, err
	}
	return s, nil
}

// recover is what a start-up does for the intake.
func (s *Service) recover() error { return s.Recover() }

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c := config.Default()
	c.StateDir = t.TempDir()
	return c
}

// incoming and reasonIncoming are package jobs', named as the tests knew them.
func incoming(j spool.Job) bool { return jobs.Incoming(j) }

const reasonIncoming = jobs.ReasonIncoming
