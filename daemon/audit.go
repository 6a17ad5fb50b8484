package daemon

import (
	"context"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
)

// Audit lists the audit trail the network front ends write.
func (b backend) Audit(ctx context.Context, q api.AuditQuery) ([]api.AuditEntry, error) {
	if q.Limit == 0 {
		q.Limit = api.DefaultAuditLimit
	}
	entries, err := audit.Read(b.d.cfg.AuditPath(), audit.Filter{User: q.User, Action: q.Action, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]api.AuditEntry, len(entries))
	for i, e := range entries {
		out[i] = api.AuditEntry(e)
	}
	return out, nil
}

// Rejected lists the newest files of intake's error folder.
func (b backend) Rejected(ctx context.Context, limit int) ([]api.Rejected, error) {
	return b.d.intake.Rejected(ctx, limit)
}
