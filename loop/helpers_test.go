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
	return New(cfg, store, events.NewPublisher(store, log), events.NewSignal(), log), nil
}

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c := config.Default()
	c.StateDir = t.TempDir()
	return c
}
