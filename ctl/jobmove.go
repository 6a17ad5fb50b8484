package ctl

import (
	"context"
	"fmt"
	"strconv"

	"github.com/omsd/omsd/api"
)

// runJobMove: omsctl job move ID TARGET [--json]
func runJobMove(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("job move", "ID TARGET [--json]")
	asJSON := fs.Bool("json", false, "print the job document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("job move", pos, "ID", "TARGET"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return fmt.Errorf("job move: %w", err)
	}
	j, err := e.client.Move(ctx, id, pos[1])
	if err != nil {
		return fmt.Errorf("job move %d: %w", id, err)
	}
	return printJobResult(e, j, *asJSON, "moved to "+j.Printer)
}

// runJobPriority: omsctl job priority ID N [--json]
func runJobPriority(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("job priority", "ID N [--json]")
	asJSON := fs.Bool("json", false, "print the job document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("job priority", pos, "ID", "N"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return fmt.Errorf("job priority: %w", err)
	}
	n, err := strconv.Atoi(pos[1])
	if err != nil {
		return fmt.Errorf("job priority: %q is not a whole number", pos[1])
	}
	j, err := e.client.Priority(ctx, id, n)
	if err != nil {
		return fmt.Errorf("job priority %d: %w", id, err)
	}
	return printJobResult(e, j, *asJSON, fmt.Sprintf("priority %d", j.Priority))
}

func printJobResult(e *env, j api.Job, asJSON bool, what string) error {
	if asJSON {
		return printJSON(e.stdout, j)
	}
	_, err := fmt.Fprintf(e.stdout, "job %d %s, %s\n", j.ID, j.State, what)
	return err
}
