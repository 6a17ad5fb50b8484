package config

import (
	"fmt"
	"slices"
	"time"
)

// Pool is a named set of printers that share work: an output sent to a pool
// goes to a member that can print it, the least loaded by queued sheets, and
// a member that stops or keeps failing hands its queued work to the others.
type Pool struct {
	Name     string   `yaml:"name"`
	Printers []string `yaml:"printers"`
	// ChunkSheets cuts outputs larger than this many sheets into chunks at
	// envelope boundaries, printed in parallel on the members; 0 = off.
	ChunkSheets int `yaml:"chunk_sheets"`
}

// Capabilities are what a printer can print. Empty fields are not checked
// (and IPP printers are asked for them).
type Capabilities struct {
	Formats []string `yaml:"formats"` // MIME types, e.g. application/pdf
	Duplex  *bool    `yaml:"duplex"`
	Color   *bool    `yaml:"color"`
	Media   []string `yaml:"media"` // media keywords, e.g. iso_a4_210x297mm
}

// ErrorPolicy is what omsd does when a printer fails a job, as CUPS'
// printer-error-policy: retry-job (after interval, at most limit times,
// then the work fails over to another pool member or the job aborts),
// retry-current-job (again at once), stop-printer (the printer stops until
// an operator resumes it; pool work fails over), abort-job.
type ErrorPolicy struct {
	Action   string   `yaml:"action"`
	Interval Duration `yaml:"interval"`
	Limit    int      `yaml:"limit"`
	// FailoverAfter is how many failures in a row make a pool member hand
	// its queued work to the others.
	FailoverAfter int `yaml:"failover_after"`
}

// Routing says what a workflow's outputs need from a printer, and where
// each output of a mail-run plan goes.
type Routing struct {
	Color bool   `yaml:"color"` // needs a colour printer
	Media string `yaml:"media"` // needs this media keyword
	// Outputs sends a plan output to a printer or pool other than the
	// workflow's.
	Outputs map[string]string `yaml:"outputs"`
}

// Error policy actions.
const (
	PolicyAbortJob        = "abort-job"
	PolicyRetryJob        = "retry-job"
	PolicyRetryCurrentJob = "retry-current-job"
	PolicyStopPrinter     = "stop-printer"
)

// Defaults of an error policy.
const (
	DefaultRetryLimit    = 5
	DefaultFailoverAfter = 3
)

// Pool returns the pool named name.
func (c *Config) Pool(name string) (Pool, bool) {
	for _, p := range c.Pools {
		if p.Name == name {
			return p, true
		}
	}
	return Pool{}, false
}

// IsTarget reports whether name is a printer or a pool.
func (c *Config) IsTarget(name string) bool {
	_, printer := c.Printer(name)
	_, pool := c.Pool(name)
	return printer || pool
}

// Members returns the printers a target stands for: a pool's members, or
// the printer itself.
func (c *Config) Members(target string) []string {
	if p, ok := c.Pool(target); ok {
		return p.Printers
	}
	return []string{target}
}

// PoolsOf lists the pools printer belongs to.
func (c *Config) PoolsOf(printer string) []string {
	var out []string
	for _, p := range c.Pools {
		if slices.Contains(p.Printers, printer) {
			out = append(out, p.Name)
		}
	}
	return out
}

func (c *Config) fillPolicyDefaults() {
	for i := range c.Printers {
		ep := &c.Printers[i].ErrorPolicy
		setDefault(&ep.Action, PolicyAbortJob)
		if ep.Interval == 0 {
			ep.Interval = c.Spool.RetryDelay
		}
		if ep.Limit == 0 {
			ep.Limit = DefaultRetryLimit
		}
		if ep.FailoverAfter == 0 {
			ep.FailoverAfter = DefaultFailoverAfter
		}
	}
}

func (c *Config) validatePools(bad func(string, ...any)) {
	seen := map[string]bool{}
	for i, p := range c.Pools {
		switch {
		case p.Name == "":
			bad("pools[%d]: name is missing", i)
		case seen[p.Name]:
			bad("pools[%d]: pool %q is defined twice", i, p.Name)
		default:
			if _, ok := c.Printer(p.Name); ok {
				bad("pool %q: a printer has the same name", p.Name)
			}
		}
		seen[p.Name] = true
		if len(p.Printers) == 0 {
			bad("pool %q: printers is empty", p.Name)
		}
		for _, m := range p.Printers {
			if _, ok := c.Printer(m); !ok {
				bad("pool %q: printer %q is not defined under printers", p.Name, m)
			}
		}
		if p.ChunkSheets < 0 {
			bad("pool %q: chunk_sheets must not be negative", p.Name)
		}
	}
	for _, pr := range c.Printers {
		ep := pr.ErrorPolicy
		oneOf(bad, fmt.Sprintf("printer %q: error_policy.action", pr.Name), ep.Action,
			PolicyAbortJob, PolicyRetryJob, PolicyRetryCurrentJob, PolicyStopPrinter)
		if ep.Limit < 0 || ep.FailoverAfter < 0 || ep.Interval < Duration(10*time.Millisecond) {
			bad("printer %q: error_policy: limit and failover_after must not be negative, interval at least 10ms", pr.Name)
		}
	}
}

// validateRouting checks a workflow's targets.
func (c *Config) validateRouting(bad func(string, ...any), w Workflow) {
	if !c.IsTarget(w.Printer) {
		bad("workflow %q: printer %q is not defined under printers or pools", w.Name, w.Printer)
	} else {
		c.validateFormat(bad, w, "printer", w.Printer)
	}
	for out, target := range w.Routing.Outputs {
		if !c.IsTarget(target) {
			bad("workflow %q: routing.outputs.%s: %q is not defined under printers or pools", w.Name, out, target)
		} else {
			c.validateFormat(bad, w, "routing.outputs."+out, target)
		}
	}
}
