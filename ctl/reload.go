package ctl

import (
	"context"
	"fmt"
	"strings"

	"github.com/omsd/omsd/api"
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

// reloadLine is the last reload's outcome, for status.
func reloadLine(r api.ReloadStatus) string {
	if !r.Applied {
		return fmtTime(r.Time) + ": refused, the running configuration stays: " + clean(strings.ReplaceAll(r.Error, "\n", "; "))
	}
	if len(r.Changes) == 0 {
		return fmtTime(r.Time) + ": applied, nothing changed"
	}
	return fmtTime(r.Time) + ": applied: " + strings.Join(r.Changes, ", ")
}
