package config

import (
	"fmt"
	"time"
)

// WorkflowDeadline is when a workflow's jobs must be printed: by a time
// of the day they arrive, or within a time of their arrival; a piece
// metadata field can name an earlier or later one per job.
type WorkflowDeadline struct {
	// By is a time of day, "16:00": the day the job arrived, or the next
	// day when it arrived later (in the daemon's time zone).
	By string `yaml:"by"`
	// Within is how long after it arrived the job must be printed.
	Within Duration `yaml:"within"`
	// Field is a metadata field holding the job's deadline
	// ("2026-11-02T16:00:00+01:00" or "2026-11-02 16:00"): the earliest of
	// the job's pieces, else the job's own metadata, wins over By and
	// Within.
	Field string `yaml:"field"`
}

// ClockLayout is how a deadline's By is written.
const ClockLayout = "15:04"

// validateDeadlines checks the workflows' deadlines.
func (c *Config) validateDeadlines(bad func(string, ...any)) {
	for _, w := range c.Workflows {
		d := w.Deadline
		if d == nil {
			continue
		}
		if d.By != "" {
			if _, err := time.Parse(ClockLayout, d.By); err != nil {
				bad("workflow %q: deadline.by is %q; write a time of day such as 16:00", w.Name, d.By)
			}
		}
		if d.By != "" && d.Within != 0 {
			bad("workflow %q: deadline has both by and within; keep one", w.Name)
		}
		if d.Within < 0 {
			bad("workflow %q: deadline.within is negative", w.Name)
		}
		if d.By == "" && d.Within == 0 && d.Field == "" {
			bad("workflow %q: deadline says nothing; set by (16:00), within (4h) or field", w.Name)
		}
	}
}

// String says the deadline for people.
func (d WorkflowDeadline) String() string {
	switch {
	case d.By != "":
		return "by " + d.By
	case d.Within != 0:
		return fmt.Sprintf("within %v", d.Within.Std())
	}
	return "from field " + d.Field
}
