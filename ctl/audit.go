package ctl

import (
	"context"

	"github.com/omsd/omsd/api"
)

// runAudit: omsctl audit [--user U] [--action A] [--limit N] [--json]
func runAudit(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("audit", "[--user U] [--action A] [--limit N] [--json]")
	user := fs.String("user", "", "only this user's actions")
	action := fs.String("action", "", "only this action, e.g. job.cancel or login")
	limit := fs.Int("limit", api.DefaultAuditLimit, "the newest `N` entries")
	asJSON := fs.Bool("json", false, "print the entries as JSON")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("audit", pos); err != nil {
		return err
	}
	entries, err := e.client.Audit(ctx, api.AuditQuery{User: *user, Action: *action, Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		if entries == nil {
			entries = []api.AuditEntry{}
		}
		return printJSON(e.stdout, entries)
	}
	t := newTable(e.stdout, "TIME", "USER", "ROLE", "PEER", "ACTION", "TARGET", "RESULT", "DETAIL")
	for _, a := range entries {
		t.row(fmtTime(a.Time), a.User, a.Role, a.Peer, a.Action, a.Target, a.Result, a.Detail)
	}
	return t.flush()
}
