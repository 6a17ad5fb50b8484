package ctl

import (
	"context"
	"errors"
	"fmt"
)

// runJobAck: omsctl job ack ID --reason TEXT [--json]
func runJobAck(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("job ack", "ID --reason TEXT [--json]")
	reason := fs.String("reason", "", "what was done about the pieces inserted twice (`TEXT`, required, kept with the job)")
	asJSON := fs.Bool("json", false, "print the job document")
	id, err := e.parseJob(fs, args, "job ack", "ID")
	if err != nil {
		return err
	}
	if *reason == "" {
		return errors.New("job ack: --reason is required: say what was done, e.g. --reason \"extra envelope pulled at the stacker\"")
	}
	j, err := e.client.Ack(ctx, id, *reason)
	if err != nil {
		return fmt.Errorf("job ack %d: %w", id, err)
	}
	return printJobResult(e, j, *asJSON, "integrity alarms acknowledged")
}
