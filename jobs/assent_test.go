package jobs

import (
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/spool"
)

// TestWorkflowAsSent: an archive reprint runs its workflow without marks,
// planning, channels or line, its file one piece; other jobs run it as
// configured.
func TestWorkflowAsSent(t *testing.T) {
	cfg := &config.Config{Workflows: []config.Workflow{{
		Name: "letters", Printer: "p", Format: "pdf", Duplex: true, Line: "L1", SortBy: []string{"zip"},
		Pieces: config.Pieces{Method: "sidecar"}, Marks: &config.Marks{}, Channels: &config.WorkflowChannels{},
		Reprint: &config.Reprint{}, Archive: &config.WorkflowArchive{Retention: "1y"},
	}}}
	wf, ok := Workflow(cfg, spool.Job{Workflow: "letters", Source: SourceArchive})
	if !ok || wf.Marks != nil || wf.Postage != nil || wf.Channels != nil || wf.Reprint != nil || wf.Line != "" || wf.SortBy != nil ||
		wf.Pieces.Method != "whole" || wf.Printer != "p" || wf.Format != "pdf" || !wf.Duplex || wf.Archive == nil {
		t.Errorf("an archive reprint's workflow: %+v", wf)
	}
	wf, ok = Workflow(cfg, spool.Job{Workflow: "letters", Source: "api"})
	if !ok || wf.Marks == nil || wf.Pieces.Method != "sidecar" || wf.Line != "L1" {
		t.Errorf("a submitted job's workflow: %+v", wf)
	}
	if _, ok := Workflow(cfg, spool.Job{Workflow: "gone", Source: SourceArchive}); ok {
		t.Error("a workflow no longer configured was found")
	}
}
