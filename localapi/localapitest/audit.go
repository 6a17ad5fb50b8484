package localapitest

import (
	"context"

	"github.com/omsd/omsd/api"
)

// AuditEntries is the fixed audit trail Audit lists.
var AuditEntries = []api.AuditEntry{
	{Time: T0, User: "ann", Role: "operator", Peer: "127.0.0.1:50000", Action: "job.hold", Target: "job 1", Result: "ok"},
	{Time: T0, User: "bob", Role: "viewer", Peer: "127.0.0.1:50001", Action: "job.cancel", Target: "job 2", Result: "denied"},
}

// Audit lists AuditEntries that q selects.
func (f *Backend) Audit(ctx context.Context, q api.AuditQuery) ([]api.AuditEntry, error) {
	var out []api.AuditEntry
	for _, e := range AuditEntries {
		if (q.User == "" || e.User == q.User) && (q.Action == "" || e.Action == q.Action) {
			out = append(out, e)
		}
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[len(out)-q.Limit:]
	}
	return out, nil
}

// RejectedFiles is the fixed error folder Rejected lists.
var RejectedFiles = []api.Rejected{
	{File: "bad.pdf", OriginalName: "bad.pdf", Job: 5, Workflow: "invoices", Source: "in/invoices", Reason: "analysis",
		Error: "no pages", Time: T0, Next: "fix the file (or its sidecar) and drop it into the hot folder again"},
}

// Rejected lists RejectedFiles.
func (f *Backend) Rejected(ctx context.Context, limit int) ([]api.Rejected, error) {
	return RejectedFiles, nil
}
