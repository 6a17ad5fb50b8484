package ctl

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

// runPrinters: omsctl printers [--json]
func runPrinters(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("printers", "[--json]")
	asJSON := fs.Bool("json", false, "print the printer documents")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("printers", pos); err != nil {
		return err
	}
	ps, err := e.client.Printers(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if ps == nil {
			ps = []api.Printer{}
		}
		return printJSON(e.stdout, ps)
	}
	t := newTable(e.stdout, "NAME", "DRIVER", "STATE", "OMSD", "ACCEPTING", "JOBS", "SHEETS", "POOLS", "URI/REASONS")
	for _, p := range ps {
		pools := strings.Join(p.Pools, ",")
		if pools == "" {
			pools = "-"
		}
		t.row(p.Name, p.Driver, p.State, operatorState(p), yesNo(p.AcceptingJobs), strconv.Itoa(p.Queued),
			strconv.Itoa(p.QueuedSheets), pools, printerDetail(p))
	}
	if err := t.flush(); err != nil {
		return err
	}
	return printListeners(ctx, e)
}

// printListeners adds the network receivers omsd takes jobs on as a print
// server, with their queues, below the printers it sends to.
func printListeners(ctx context.Context, e *env) error {
	st, err := e.client.Status(ctx)
	if err != nil || len(st.Listeners) == 0 {
		return nil
	}
	fmt.Fprintln(e.stdout, "\nreceiving as a print server:")
	for _, l := range st.Listeners {
		fmt.Fprintf(e.stdout, "  %s\n", listenerLine(l))
	}
	return nil
}

// printerDetail is the last column of the printers table: the URI, the
// state reasons other than "none", and the error if the state is unknown.
func printerDetail(p api.Printer) string {
	var parts []string
	if p.URI != "" {
		parts = append(parts, p.URI)
	}
	if r := reasons(p.Reasons); r != "" {
		parts = append(parts, r)
	}
	if p.Sending != "" {
		parts = append(parts, "sending "+p.Sending)
	}
	if p.StopReason != "" && (p.Stopped || p.Paused || p.Disabled) {
		parts = append(parts, "("+p.StopReason+")")
	}
	if p.Error != "" {
		parts = append(parts, "error: "+p.Error)
	}
	return strings.Join(parts, " ")
}
