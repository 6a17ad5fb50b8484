package ctl

import (
	"context"
)

// runPlan: omsctl plan JOB [--json]
func runPlan(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("plan", "JOB [--json]")
	asJSON := fs.Bool("json", false, "print the postage report document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("plan", pos, "JOB"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	p, err := e.client.Plan(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, p)
	}
	return p.WriteText(e.stdout)
}
