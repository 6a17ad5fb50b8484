// Package spooltest provides a throwaway spool for tests of the packages that
// use one.
package spooltest

import (
	"testing"

	"github.com/omsd/omsd/spool"
)

// New opens a spool in a fresh t.TempDir() and closes it when the test ends.
// It fails the test if the spool cannot be opened or closed.
func New(t testing.TB) *spool.Store {
	t.Helper()
	s, err := spool.Open(t.TempDir())
	if err != nil {
		t.Fatalf("open spool: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close spool: %v", err)
		}
	})
	return s
}
