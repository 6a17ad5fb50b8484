package ctl

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/omsd/omsd/api"
)

// recentEvents is how many of a job's events "job show" lists.
const recentEvents = 10

// runJobShow: omsctl job show ID [--json]
func runJobShow(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("job show", "ID [--json]")
	asJSON := fs.Bool("json", false, "print the job document with pieces and events")
	id, err := e.parseJob(fs, args, "job show", "ID")
	if err != nil {
		return err
	}
	d, err := e.client.Job(ctx, id)
	if err != nil {
		return fmt.Errorf("job show %d: %w", id, err)
	}
	if *asJSON {
		return printJSON(e.stdout, d)
	}
	return printJobDetail(e.stdout, d)
}

// printJobDetail writes the job's fields, its pieces and its recent events.
func printJobDetail(w io.Writer, d api.JobDetail) error {
	if err := printJobHeader(w, d.Job); err != nil {
		return err
	}
	printLoop(w, d)
	if len(d.Outputs) > 0 {
		fmt.Fprintf(w, "\noutputs (%d):\n", len(d.Outputs))
		if err := printOutputs(w, d.Outputs); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\npieces (%d):\n", len(d.PiecesDetail))
	if err := printPieces(w, d.PiecesDetail); err != nil {
		return err
	}
	events := d.Events
	if len(events) > recentEvents {
		events = events[len(events)-recentEvents:]
	}
	fmt.Fprintf(w, "\nevents (last %d of %d):\n", len(events), len(d.Events))
	t := newTable(w, "TIME", "TYPE", "STATE", "REASONS", "MESSAGE")
	for _, ev := range events {
		t.row(fmtTime(ev.Time), ev.Type, ev.State, reasons(ev.Reasons), eventMessage(ev))
	}
	return t.flush()
}

// printPieces writes a table of pieces, with a NAME column when any piece
// has a name, and the plan's columns when the mail run was planned.
func printPieces(w io.Writer, pieces []api.Piece) error {
	named, planned, sent := false, false, false
	for _, p := range pieces {
		named = named || p.Name != ""
		planned = planned || p.Plan != nil
		sent = sent || p.Delivery != nil
	}
	header := []string{"SEQ"}
	if named {
		header = append(header, "NAME")
	}
	header = append(header, "FIRST", "PAGES", "SHEETS")
	if planned {
		header = append(header, "ENVELOPE", "TYPE", "PRODUCT", "LEVEL", "POSTAGE", "OUTPUT")
	}
	if sent {
		header = append(header, "SENDS", "PRINTED ON")
	}
	t := newTable(w, append(header, "META")...)
	for _, p := range pieces {
		cells := []string{strconv.Itoa(p.Seq)}
		if named {
			cells = append(cells, p.Name)
		}
		cells = append(cells, strconv.Itoa(p.FirstPage), strconv.Itoa(p.Pages), strconv.Itoa(p.Sheets))
		if planned {
			cells = append(cells, placementCells(p.Plan)...)
		}
		if sent {
			cells = append(cells, deliveryCells(p.Delivery)...)
		}
		t.row(append(cells, meta(p.Meta))...)
	}
	return t.flush()
}

// placementCells are the plan columns of one piece.
func placementCells(pl *api.Placement) []string {
	switch {
	case pl == nil:
		return []string{"", "", "", "", "", ""}
	case pl.Held:
		return []string{"held", "", "", "", "", ""}
	}
	return []string{strconv.Itoa(pl.Envelope), pl.EnvelopeType, pl.Product, pl.Level, pl.Price, pl.Output}
}

// printJobHeader writes the job's fields as labeled lines.
func printJobHeader(w io.Writer, j api.Job) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	state := j.State
	if r := reasons(j.StateReasons); r != "" {
		state += " (" + r + ")"
	}
	fields := []struct{ k, v string }{
		{"id", itoa(j.ID)},
		{"name", j.Name},
		{"workflow", j.Workflow},
		{"printer", j.Printer},
		{"state", state},
		{"message", j.Message},
		{"source", j.Source},
		{"pieces", strconv.Itoa(j.Pieces)},
		{"pages", strconv.Itoa(j.Pages)},
		{"sheets", fmt.Sprintf("%d (%d sent)", j.Sheets, j.SheetsSent)},
		{"attempts", strconv.Itoa(j.Attempts)},
		{"priority", strconv.Itoa(j.Priority)},
		{"created", fmtTime(j.Created)},
		{"updated", fmtTime(j.Updated)},
	}
	for _, f := range fields {
		fmt.Fprintf(tw, "%s\t%s\n", f.k, cell(f.v))
	}
	if !j.Compacted.IsZero() {
		fmt.Fprintf(tw, "compacted\t%s (print data, pieces and events removed after spool.retention)\n", fmtTime(j.Compacted))
	}
	for _, warning := range j.Warnings {
		fmt.Fprintf(tw, "warning\t%s\n", cell(warning))
	}
	return tw.Flush()
}

// meta shows piece metadata as key=value pairs in key order.
func meta(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, " ")
}

// eventMessage is an event's message; progress events without one show
// their sheet counts.
func eventMessage(ev api.Event) string {
	if ev.Message == "" && ev.Type == api.EventProgress {
		return fmt.Sprintf("%d/%d sheets", ev.SheetsDone, ev.Sheets)
	}
	return ev.Message
}

// deliveryCells are the send columns of one piece; a piece sent more than
// once is marked, since it may have been printed twice.
func deliveryCells(d *api.PieceSends) []string {
	if d == nil {
		return []string{"0", ""}
	}
	sends := strconv.Itoa(d.Sends)
	if d.Sends > 1 {
		sends += " (sent twice: " + strings.Join(d.Printers, ",") + ")"
	}
	return []string{sends, d.Confirmed}
}

// printOutputs writes a table of the job's outputs: where each is queued
// and how far the device confirmed it.
func printOutputs(w io.Writer, outs []api.Output) error {
	t := newTable(w, "OUTPUT", "PIECES", "SHEETS", "TARGET", "PRINTER", "CONFIRMED", "SENT")
	for _, o := range outs {
		name := o.Name
		if o.Reprint {
			name += " (reprint)"
		}
		t.row(name, strconv.Itoa(o.Pieces), strconv.Itoa(o.Sheets), o.Target, o.Printer,
			fmt.Sprintf("%d/%d", o.Confirmed, o.Pieces), yesNo(o.Sent))
	}
	return t.flush()
}

// printLoop writes the closed-loop state of a run, its alarms first.
func printLoop(w io.Writer, d api.JobDetail) {
	if d.ReprintOf != 0 {
		fmt.Fprintf(w, "%-10sgeneration %d of job %d\n", "reprint", d.Generation, d.ReprintOf)
	}
	l := d.Loop
	if l == nil {
		return
	}
	for _, a := range l.Alarms {
		fmt.Fprintf(w, "%-10s%s\n", "ALARM", a)
	}
	fmt.Fprintf(w, "%-10s%s on line %s", "loop", l.State, l.Line)
	if l.Reason != "" {
		fmt.Fprintf(w, ": %s", l.Reason)
	}
	fmt.Fprintln(w)
	if len(l.Reprints) > 0 {
		fmt.Fprintf(w, "%-10s%v\n", "reprints", l.Reprints)
	}
}
