package loop

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
)

// open opens cfg's spool and returns the loop on it, as the daemon builds
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
	return New(cfg, store, pub, events.NewSignal(), log), nil
}

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c := config.Default()
	c.StateDir = t.TempDir()
	return c
}
