package ctl

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/imb"
)

// runIMB: omsctl imb encode --tracking 20DIGITS [--routing ZIP] [--json]
//
// It works offline: the barcode is computed here, not by the daemon.
func runIMB(_ context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("imb: want the action encode")
	}
	switch args[0] {
	case "encode":
		return runIMBEncode(e, args[1:])
	case "-h", "-help", "--help", "help":
		_, err := fmt.Fprintf(e.stdout, "usage: omsctl imb encode --tracking 20DIGITS [--routing 0|5|9|11 DIGITS] [--json]\n")
		return err
	}
	return fmt.Errorf("imb: unknown action %q; want encode", args[0])
}

// runIMBEncode prints the 65 bars (letters F, A, D, T) of an Intelligent
// Mail barcode, or with --json the imb.Code document.
func runIMBEncode(e *env, args []string) error {
	fs := e.newFlagSet("imb encode", "--tracking 20DIGITS [--routing 0|5|9|11 DIGITS] [--json]")
	tracking := fs.String("tracking", "", "the 20-digit tracking `code`: barcode ID, service type, mailer ID, serial")
	routing := fs.String("routing", "", "the routing `code`: none, or a ZIP of 5, 9 or 11 digits")
	asJSON := fs.Bool("json", false, "print the barcode document with the tracking code's fields")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("imb encode", pos); err != nil {
		return err
	}
	if *tracking == "" {
		return fmt.Errorf("imb encode: --tracking is required (see omsctl imb encode -h)")
	}
	code, err := imb.New(*tracking, *routing)
	if err != nil {
		return fmt.Errorf("imb encode: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, code)
	}
	_, err = fmt.Fprintln(e.stdout, code.Bars)
	return err
}
