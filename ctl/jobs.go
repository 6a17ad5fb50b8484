package ctl

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

// runJobs: omsctl jobs [--state S[,S]] [--all] [--limit N] [--before ID] [--at-risk] [--json]
func runJobs(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("jobs", "[--state S[,S]] [--all] [--limit N] [--before ID] [--at-risk] [--json]")
	atRisk := fs.Bool("at-risk", false, "only the active jobs predicted to miss their deadline, with the prediction")
	state := fs.String("state", "", "only jobs in these comma-separated `states` ("+strings.Join(api.JobStates, ", ")+")")
	all := fs.Bool("all", false, "every job, finished ones included, not only the active ones and the last finished")
	limit := fs.Int("limit", 0, fmt.Sprintf("at most `N` finished jobs (default %d), or with --all at most N jobs (default every one)", api.DefaultJobsLimit))
	before := fs.Int64("before", 0, "only (finished, unless --all) jobs with an ID below `ID`: the next page")
	asJSON := fs.Bool("json", false, "print the job documents")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("jobs", pos); err != nil {
		return err
	}
	if *atRisk {
		return runAtRisk(ctx, e, *asJSON)
	}
	q := api.JobQuery{All: *all, Limit: *limit, Before: *before}
	for _, s := range strings.Split(*state, ",") {
		if s = strings.TrimSpace(s); s != "" {
			q.States = append(q.States, s)
		}
	}
	jobs, err := e.client.Jobs(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		if jobs == nil {
			jobs = []api.Job{}
		}
		return printJSON(e.stdout, jobs)
	}
	t := newTable(e.stdout, "ID", "NAME", "WORKFLOW", "STATE", "PIECES", "PAGES", "SHEETS", "SENT", "REASONS", "FROM")
	for _, j := range jobs {
		t.row(itoa(j.ID), j.Name, j.Workflow, j.State, strconv.Itoa(j.Pieces), strconv.Itoa(j.Pages),
			strconv.Itoa(j.Sheets), strconv.Itoa(j.SheetsSent), reasons(j.StateReasons), jobFrom(j))
	}
	if err := t.flush(); err != nil {
		return err
	}
	if next, ok := olderPage(jobs, q); ok {
		fmt.Fprintf(e.stderr, "older jobs: omsctl jobs%s --before %d\n", pageFlags(q), next)
	}
	return nil
}

// olderPage says whether the listing was cut at its limit, and the
// --before of the next page: the lowest ID of the jobs the limit counts.
func olderPage(jobs []api.Job, q api.JobQuery) (int64, bool) {
	limit := q.Limit
	if limit == 0 && !q.All {
		limit = api.DefaultJobsLimit
	}
	n, low := 0, int64(0)
	for _, j := range jobs {
		if q.All || finished(j.State) {
			n++
			if low == 0 || j.ID < low {
				low = j.ID
			}
		}
	}
	return low, limit > 0 && n >= limit
}

// pageFlags repeats the flags of q that the next page keeps.
func pageFlags(q api.JobQuery) string {
	s := ""
	if q.All {
		s += " --all"
	}
	if len(q.States) > 0 {
		s += " --state " + strings.Join(q.States, ",")
	}
	if q.Limit > 0 {
		s += " --limit " + strconv.Itoa(q.Limit)
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// jobFrom says where a job came from: its hot folder, "api", or the
// network sender (e.g. "lpd alice@10.1.2.3 queue stmts").
func jobFrom(j api.Job) string {
	if j.Origin != "" {
		return j.Origin
	}
	return j.Source
}
