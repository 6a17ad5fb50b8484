package ctl

import (
	"context"

	"github.com/omsd/omsd/api"
)

// runRejected: omsctl rejected [--limit N] [--json]
func runRejected(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("rejected", "[--limit N] [--json]")
	limit := fs.Int("limit", api.DefaultRejectedLimit, "the newest `N` files")
	asJSON := fs.Bool("json", false, "print the error reports as JSON")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("rejected", pos); err != nil {
		return err
	}
	list, err := e.client.Rejected(ctx, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []api.Rejected{}
		}
		return printJSON(e.stdout, list)
	}
	t := newTable(e.stdout, "TIME", "FILE", "JOB", "WORKFLOW", "REASON", "ERROR", "NEXT")
	for _, r := range list {
		t.row(fmtTime(r.Time), r.File, itoa(r.Job), r.Workflow, r.Reason, r.Error, r.Next)
	}
	return t.flush()
}
