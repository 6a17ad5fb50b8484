package ctl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/api"
)

// runSubmit: omsctl submit FILE [--workflow W] [--hold] [--name N] [--json]
func runSubmit(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("submit", "FILE [--workflow W] [--hold] [--name N] [--json]")
	var opt api.SubmitOptions
	fs.StringVar(&opt.Workflow, "workflow", "", "`workflow` to run (default: the daemon's default workflow)")
	fs.BoolVar(&opt.Hold, "hold", false, "hold the job until released")
	fs.StringVar(&opt.Name, "name", "", "job `name` (default: the file's base name)")
	asJSON := fs.Bool("json", false, "print the job document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("submit", pos, "FILE"); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	defer f.Close()
	if opt.Name == "" {
		opt.Name = filepath.Base(pos[0])
	}
	job, err := e.client.Submit(ctx, opt, f)
	if errors.Is(err, api.ErrTooLarge) {
		return fmt.Errorf("submit %s: %w\n"+
			"to take it in, raise api.max_upload in omsd's configuration and restart omsd, "+
			"or drop the file into a hot folder (no size limit there)", pos[0], err)
	}
	if err != nil {
		return fmt.Errorf("submit %s: %w", pos[0], err)
	}
	if *asJSON {
		return printJSON(e.stdout, job)
	}
	_, err = fmt.Fprintf(e.stdout, "job %d %s\n", job.ID, job.State)
	return err
}
