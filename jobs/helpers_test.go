package jobs

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/spool"
)

// open opens cfg's spool and returns the reader on it; the caller closes
// r.store.
func open(cfg *config.Config, _ zerolog.Logger) (*Reader, error) {
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		return nil, err
	}
	return NewReader(store), nil
}

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c := config.Default()
	c.StateDir = t.TempDir()
	return c
}
