package analysis

import (
	"errors"
	"strings"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// TestCopiesRefusedThroughALine: a job with copies is refused for a
// workflow whose pieces go through an inserting line (by the workflow or
// its printer), with the reason and what to do; one copy, a workflow
// without a line and a reprint of archived pieces pass.
func TestCopiesRefusedThroughALine(t *testing.T) {
	cfg := &config.Config{
		Printers: []config.Printer{{Name: "lined", Line: "L1"}, {Name: "plain"}},
		Lines:    []config.Line{{Name: "L1"}},
		Workflows: []config.Workflow{
			{Name: "mail", Printer: "plain", Line: "L1"},
			{Name: "viaprinter", Printer: "lined"},
			{Name: "letters", Printer: "plain"},
		},
	}
	wf := func(name string) config.Workflow {
		w, ok := cfg.Workflow(name)
		if !ok {
			t.Fatalf("workflow %s", name)
		}
		return w
	}
	for _, c := range []struct {
		wf      string
		job     spool.Job
		refused bool
	}{
		{"mail", spool.Job{Workflow: "mail", Copies: 3}, true},
		{"viaprinter", spool.Job{Workflow: "viaprinter", Copies: 2}, true},
		{"letters", spool.Job{Workflow: "letters", Printer: "lined", Copies: 2}, true},
		{"mail", spool.Job{Workflow: "mail", Copies: 1}, false},
		{"mail", spool.Job{Workflow: "mail"}, false},
		{"letters", spool.Job{Workflow: "letters", Copies: 5}, false},
		{"mail", spool.Job{Workflow: "mail", Copies: 3, Source: jobs.SourceArchive}, false},
	} {
		err := copiesRefused(cfg, wf(c.wf), c.job)
		if (err != nil) != c.refused {
			t.Errorf("%s, job %+v: err = %v; want refused %v", c.wf, c.job, err, c.refused)
			continue
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, pipeline.ErrBadInput) {
			t.Errorf("%s: %v does not go to the error folder (not ErrBadInput)", c.wf, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "L1") || !strings.Contains(msg, "1 copy") {
			t.Errorf("%s: %q; want the line and what to do", c.wf, msg)
		}
	}
}
