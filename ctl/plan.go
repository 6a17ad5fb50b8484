package ctl

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/omsd/omsd/api"
)

// runPlan: omsctl plan JOB [--json]
func runPlan(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("plan", "JOB [--json]")
	asJSON := fs.Bool("json", false, "print the postage report document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("plan", pos, "JOB"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	p, err := e.client.Plan(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, p)
	}
	if err := p.WriteText(e.stdout); err != nil {
		return err
	}
	return printReprintPostage(e.stdout, p.Reprints)
}

// printReprintPostage lists the postage of a run's reprints, envelope
// counts and postage per product of each.
func printReprintPostage(w io.Writer, rps []api.ReprintPostage) error {
	if len(rps) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nreprints (postage planned afresh for their envelopes):\n")
	t := newTable(w, "REPRINT JOB", "GENERATION", "PIECES", "ENVELOPES", "PRODUCT", "POSTAGE")
	for _, rp := range rps {
		for _, p := range rp.Postage {
			t.row(itoa(rp.Job), strconv.Itoa(rp.Generation), strconv.Itoa(len(rp.Pieces)), strconv.Itoa(p.Envelopes), p.Product, p.Postage)
		}
		if len(rp.Postage) == 0 {
			t.row(itoa(rp.Job), strconv.Itoa(rp.Generation), strconv.Itoa(len(rp.Pieces)), strconv.Itoa(rp.Envelopes), "-", rp.Total)
		}
	}
	return t.flush()
}
