package ctl

import (
	"context"
	"fmt"
)

// runReload: omsctl reload [--json]
func runReload(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("reload", "[--json]")
	asJSON := fs.Bool("json", false, "print the daemon's answer as JSON")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("reload", pos); err != nil {
		return err
	}
	r, err := e.client.Reload(ctx)
	if err != nil {
		return fmt.Errorf("%w\n(the running configuration stays; \"omsd config check FILE\" checks an edit)", err)
	}
	if *asJSON {
		return printJSON(e.stdout, r)
	}
	_, err = fmt.Fprintln(e.stdout, r.Message)
	return err
}
