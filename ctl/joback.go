package ctl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
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
	j, err := e.client.Ack(ctx, id, *reason, osUser())
	if err != nil {
		return fmt.Errorf("job ack %d: %w", id, err)
	}
	return printJobResult(e, j, *asJSON, "integrity alarms acknowledged")
}

// osUser is the name of the user omsctl runs as, for the record of an
// acknowledgement: the account's name, else $USER, else "".
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
