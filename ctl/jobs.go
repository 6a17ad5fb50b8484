package ctl

import (
	"context"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

// runJobs: omsctl jobs [--state S[,S]] [--json]
func runJobs(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("jobs", "[--state S[,S]] [--json]")
	state := fs.String("state", "", "only jobs in these comma-separated `states` ("+strings.Join(api.JobStates, ", ")+")")
	asJSON := fs.Bool("json", false, "print the job documents")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("jobs", pos); err != nil {
		return err
	}
	var states []string
	for _, s := range strings.Split(*state, ",") {
		if s = strings.TrimSpace(s); s != "" {
			states = append(states, s)
		}
	}
	jobs, err := e.client.Jobs(ctx, states...)
	if err != nil {
		return err
	}
	if *asJSON {
		if jobs == nil {
			jobs = []api.Job{}
		}
		return printJSON(e.stdout, jobs)
	}
	t := newTable(e.stdout, "ID", "NAME", "WORKFLOW", "STATE", "PIECES", "PAGES", "SHEETS", "SENT", "REASONS")
	for _, j := range jobs {
		t.row(itoa(j.ID), j.Name, j.Workflow, j.State, strconv.Itoa(j.Pieces), strconv.Itoa(j.Pages),
			strconv.Itoa(j.Sheets), strconv.Itoa(j.SheetsSent), reasons(j.StateReasons))
	}
	return t.flush()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
