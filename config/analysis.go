package config

import "runtime"

// Analysis configures how print files are analysed and composed.
type Analysis struct {
	// Workers is how many jobs are analysed at the same time; 0 means
	// DefaultAnalysisWorkers.
	Workers int `yaml:"workers"`
}

// DefaultAnalysisWorkers is min(2, GOMAXPROCS): one huge job does not hold
// up the others, and analysis leaves room for sending.
func DefaultAnalysisWorkers() int { return min(2, runtime.GOMAXPROCS(0)) }

func (c *Config) fillAnalysisDefaults() {
	if c.Analysis.Workers == 0 {
		c.Analysis.Workers = DefaultAnalysisWorkers()
	}
}

func (c *Config) validateAnalysis(bad func(string, ...any)) {
	if c.Analysis.Workers < 1 {
		bad("analysis.workers is %d; want 1 or more (or leave it out for %d)", c.Analysis.Workers, DefaultAnalysisWorkers())
	}
}
