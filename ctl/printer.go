package ctl

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
)

// runPrinter: omsctl printer pause|resume|enable|disable|drain NAME [--json]
func runPrinter(ctx context.Context, e *env, args []string) error {
	const verbs = "pause, resume, enable, disable, drain"
	if len(args) == 0 {
		return fmt.Errorf("printer: want one of %s, then a printer name", verbs)
	}
	action := args[0]
	switch action {
	case api.PrinterPause, api.PrinterResume, api.PrinterEnable, api.PrinterDisable, api.PrinterDrain:
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(e.stdout, "usage: omsctl printer pause|resume|enable|disable|drain NAME [--json]\n")
		return nil
	default:
		return fmt.Errorf("printer: unknown action %q; want one of %s", action, verbs)
	}
	fs := e.newFlagSet("printer "+action, "NAME [--json]")
	asJSON := fs.Bool("json", false, "print the printer document")
	pos, err := e.parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := wantArgs("printer "+action, pos, "NAME"); err != nil {
		return err
	}
	p, err := e.client.PrinterAction(ctx, pos[0], action)
	if err != nil {
		return fmt.Errorf("printer %s %s: %w", action, pos[0], err)
	}
	if *asJSON {
		return printJSON(e.stdout, p)
	}
	_, err = fmt.Fprintf(e.stdout, "printer %s %s\n", p.Name, operatorState(p))
	return err
}

// operatorState is a printer's state as the operator set it.
func operatorState(p api.Printer) string {
	switch {
	case p.Stopped:
		return "stopped"
	case p.Draining:
		return "draining"
	case p.Paused && p.Disabled:
		return "paused,disabled"
	case p.Paused:
		return "paused"
	case p.Disabled:
		return "disabled"
	}
	return "ready"
}
