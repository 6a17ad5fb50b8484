package ctl

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
)

// jobVerbs are the sub-verbs of "omsctl job".
const jobVerbs = "show, report, hold, release, cancel, move, priority, restart, ack"

// runJob: omsctl job show|hold|release|cancel|move|priority|restart ID ...
func runJob(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("job: want one of %s, then a job ID", jobVerbs)
	}
	verb, rest := args[0], args[1:]
	switch verb {
	case "show":
		return runJobShow(ctx, e, rest)
	case "report":
		return runJobReport(ctx, e, rest)
	case "hold":
		return runJobAction(ctx, e, verb, rest, e.client.Hold)
	case "release":
		return runJobAction(ctx, e, verb, rest, e.client.Release)
	case "cancel":
		return runJobAction(ctx, e, verb, rest, e.client.Cancel)
	case "move":
		return runJobMove(ctx, e, rest)
	case "priority":
		return runJobPriority(ctx, e, rest)
	case "restart":
		return runJobRestart(ctx, e, rest)
	case "ack":
		return runJobAck(ctx, e, rest)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(e.stdout, "usage: omsctl job show|hold|release|cancel ID\n       omsctl job report ID [--json]\n"+
			"       omsctl job move ID TARGET\n       omsctl job priority ID N\n"+
			"       omsctl job restart ID [--from-piece N | --pieces 5,7-9] [--to TARGET]\n"+
			"       omsctl job ack ID --reason TEXT\n")
		return nil
	}
	return fmt.Errorf("job: unknown action %q; want one of %s", verb, jobVerbs)
}

// runJobAction: omsctl job hold|release|cancel ID [--json]
func runJobAction(ctx context.Context, e *env, verb string, args []string, fn func(context.Context, int64) (api.Job, error)) error {
	fs := e.newFlagSet("job "+verb, "ID [--json]")
	asJSON := fs.Bool("json", false, "print the job document")
	id, err := e.parseJob(fs, args, "job "+verb, "ID")
	if err != nil {
		return err
	}
	job, err := fn(ctx, id)
	if err != nil {
		return fmt.Errorf("job %s %d: %w", verb, id, err)
	}
	if *asJSON {
		return printJSON(e.stdout, job)
	}
	_, err = fmt.Fprintf(e.stdout, "job %d %s\n", job.ID, job.State)
	return err
}
