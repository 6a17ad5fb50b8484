package spooltest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/spool"
)

func TestNew(t *testing.T) {
	var s *spool.Store
	t.Run("use", func(t *testing.T) {
		s = New(t)
		j, err := s.CreateJob(spool.Job{Name: "a.pdf"})
		if err != nil || j.ID != 1 {
			t.Fatalf("CreateJob = %+v, %v", j, err)
		}
		if _, err := os.Stat(filepath.Join(s.Dir(), "spool.db")); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := s.Jobs(); err == nil {
		t.Error("store still open after the test that made it ended")
	}
}
