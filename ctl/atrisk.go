package ctl

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/omsd/omsd/api"
)

// runAtRisk: omsctl jobs --at-risk [--json]: the active jobs predicted to
// miss their deadline.
func runAtRisk(ctx context.Context, e *env, asJSON bool) error {
	list, err := e.client.Deadlines(ctx)
	if err != nil {
		return err
	}
	risky := []api.Deadline{}
	for _, d := range list {
		if d.AtRisk {
			risky = append(risky, d)
		}
	}
	if asJSON {
		return printJSON(e.stdout, risky)
	}
	if len(risky) == 0 {
		fmt.Fprintf(e.stdout, "no job is at risk of missing its deadline (%d active with a deadline)\n", len(list))
		return nil
	}
	t := newTable(e.stdout, "ID", "NAME", "WORKFLOW", "PRINTER", "STATE", "DEADLINE", "PREDICTED", "SHEETS_AHEAD", "SHEETS/MIN")
	for _, d := range risky {
		predicted := "never (no speed)"
		if !d.Predicted.IsZero() {
			predicted = d.Predicted.Local().Format(time.DateTime)
		}
		t.row(itoa(d.Job), d.Name, d.Workflow, d.Printer, d.State, d.Deadline.Local().Format(time.DateTime), predicted,
			strconv.Itoa(d.SheetsAhead), strconv.FormatFloat(d.SheetsPerMinute, 'f', 0, 64))
	}
	return t.flush()
}
