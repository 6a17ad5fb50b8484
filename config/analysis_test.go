package config

import (
	"errors"
	"strings"
	"testing"
)

func TestAnalysisWorkers(t *testing.T) {
	c, err := Parse([]byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Analysis.Workers != DefaultAnalysisWorkers() || c.Analysis.Workers < 1 {
		t.Errorf("analysis.workers defaults to %d, want %d", c.Analysis.Workers, DefaultAnalysisWorkers())
	}
	if c, err = Parse([]byte("version: 1\nanalysis:\n  workers: 4\n")); err != nil || c.Analysis.Workers != 4 {
		t.Errorf("analysis.workers: 4 gives %d, %v", c.Analysis.Workers, err)
	}
	_, err = Parse([]byte("version: 1\nanalysis:\n  workers: -1\n"))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "analysis.workers is -1") {
		t.Errorf("analysis.workers: -1 gives %v, want an error naming the key", err)
	}
}
