package ctl

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

// runJobReport: omsctl job report ID [--json]
func runJobReport(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("job report", "ID [--json]")
	asJSON := fs.Bool("json", false, "print the close-out document")
	id, err := e.parseJob(fs, args, "job report", "ID")
	if err != nil {
		return err
	}
	rep, err := e.client.Report(ctx, id)
	if err != nil {
		return fmt.Errorf("job report %d: %w", id, err)
	}
	if *asJSON {
		return printJSON(e.stdout, rep)
	}
	return printReport(e.stdout, rep)
}

// printReport writes the close-out as labeled lines and tables.
func printReport(w io.Writer, r api.JobReport) error {
	fmt.Fprintf(w, "job %d %s: %s, %s\n\n", r.Job, r.Name, r.State, loopText(r))
	t := newTable(w, "COUNT", "IN", "OUT")
	t.row("pieces", strconv.Itoa(r.PiecesIn), strconv.Itoa(r.PiecesOut))
	t.row("pages", strconv.Itoa(r.PagesIn), strconv.Itoa(r.PagesOut))
	t.row("sheets", strconv.Itoa(r.SheetsIn), strconv.Itoa(r.SheetsOut))
	t.row("envelopes", strconv.Itoa(r.Envelopes), "")
	t.row("held by the plan", strconv.Itoa(r.Held), "")
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nstatus: %s\n", statusCounts(r.Status))
	if len(r.Channels) > 0 {
		fmt.Fprintf(w, "channels: %s\n", statusCounts(r.Channels))
	}
	if len(r.Postage) > 0 {
		fmt.Fprintf(w, "\n")
		t = newTable(w, "PRODUCT", "ENVELOPES", "POSTAGE")
		for _, p := range r.Postage {
			t.row(p.Product, strconv.Itoa(p.Envelopes), p.Postage)
		}
		t.flush()
	}
	if len(r.Reprints) > 0 {
		fmt.Fprintf(w, "\n")
		t = newTable(w, "REPRINT JOB", "GENERATION", "PIECES", "SHEETS", "ENVELOPES", "POSTAGE", "STATE")
		for _, p := range r.Reprints {
			t.row(itoa(p.Job), strconv.Itoa(p.Generation), strconv.Itoa(p.Pieces), strconv.Itoa(p.Sheets), strconv.Itoa(p.Envelopes), p.Postage, p.State)
		}
		t.flush()
	}
	if len(r.ReprintPostage) > 0 {
		fmt.Fprintf(w, "\n")
		t = newTable(w, "REPRINT PRODUCT", "ENVELOPES", "POSTAGE")
		for _, p := range r.ReprintPostage {
			t.row(p.Product, strconv.Itoa(p.Envelopes), p.Postage)
		}
		t.flush()
	}
	if r.PostageTotal != "" {
		fmt.Fprintf(w, "\npostage total (run and reprints): %s\n", r.PostageTotal)
	}
	printIncidents(w, r.Incidents)
	missing := "unaccounted"
	if r.NoLine {
		missing = "not printed"
	}
	_, err := fmt.Fprintf(w, "\n%s: %d%s\n", missing, len(r.Unaccounted), seqList(r.Unaccounted))
	return err
}

// printIncidents lists every integrity alarm of the run, open or with its
// acknowledgement: who, when, why.
func printIncidents(w io.Writer, ins []api.Incident) {
	if len(ins) > 0 {
		fmt.Fprintf(w, "\n")
	}
	for _, in := range ins {
		if in.Acknowledged == nil {
			fmt.Fprintf(w, "ALARM: %s (open: omsctl job ack)\n", in.Alarm)
			continue
		}
		a := in.Acknowledged
		fmt.Fprintf(w, "ALARM: %s\n  acknowledged by %s at %s: %s\n", in.Alarm, a.By, fmtTime(a.Time), a.Reason)
	}
}

// loopText says where the run's closed loop stands, or that it has none.
func loopText(r api.JobReport) string {
	if r.NoLine {
		return "no inserting line (print only: pieces OUT are the pieces printed)"
	}
	s := "loop " + r.Loop
	if r.Line != "" {
		s += " (line " + r.Line + ")"
	}
	return s
}

func statusCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// seqList shows up to 20 piece seqs after a colon.
func seqList(seqs []int) string {
	if len(seqs) == 0 {
		return ""
	}
	var parts []string
	for i, s := range seqs {
		if i == 20 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, strconv.Itoa(s))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
