package ctl

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
)

const reportSynopsis = "volumes|postage|reprints|sla [--from DATE] [--to DATE] [--by day|week|workflow|printer|customer] [--json|--csv] [--png FILE]"

// runReport: omsctl report KIND [--from DATE] [--to DATE] [--by G] [--json|--csv] [--png FILE]
func runReport(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("report", reportSynopsis)
	from := fs.String("from", "", "the first `DATE` (2026-11-02) or instant (RFC 3339) of the window; default today")
	to := fs.String("to", "", "the last `DATE` of the window, that day included, or the instant after it (RFC 3339); default the day of --from")
	by := fs.String("by", "", "one row per `GROUP`: "+strings.Join(api.ReportGroupings, ", ")+"; default one total")
	asJSON := fs.Bool("json", false, "print the report document")
	asCSV := fs.Bool("csv", false, "print the rows as CSV")
	png := fs.String("png", "", "also draw the report as a chart into `FILE`")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || !slices.Contains(api.ReportKinds, pos[0]) {
		return fmt.Errorf("report: name one report: %s", strings.Join(api.ReportKinds, ", "))
	}
	if *asJSON && *asCSV {
		return fmt.Errorf("report: --json and --csv: choose one")
	}
	q := api.ReportQuery{Kind: pos[0], By: *by}
	if q.From, q.To, err = reportWindow(*from, *to, time.Now()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	rep, err := e.client.PeriodReport(ctx, q)
	if err != nil {
		return fmt.Errorf("report %s: %w", q.Kind, err)
	}
	if *png != "" {
		if err := writeChart(*png, rep); err != nil {
			return fmt.Errorf("report %s: %w", q.Kind, err)
		}
	}
	switch {
	case *asJSON:
		return printJSON(e.stdout, rep)
	case *asCSV:
		return printReportCSV(e.stdout, rep)
	}
	return printPeriodReport(e.stdout, rep)
}

// reportWindow reads --from and --to: dates are local days, --to's day
// included; instants are RFC 3339, --to's excluded.
func reportWindow(from, to string, now time.Time) (time.Time, time.Time, error) {
	y, m, d := now.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	if from != "" {
		t, err := parseWhen(from, false)
		if err != nil {
			return start, start, fmt.Errorf("--from: %w", err)
		}
		start = t
	}
	sy, sm, sd := start.Date()
	end := time.Date(sy, sm, sd+1, 0, 0, 0, 0, start.Location())
	if to != "" {
		t, err := parseWhen(to, true)
		if err != nil {
			return start, end, fmt.Errorf("--to: %w", err)
		}
		end = t
	}
	if !start.Before(end) {
		return start, end, fmt.Errorf("--from %s is not before --to %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return start, end, nil
}

// parseWhen reads a local date (the start of that day, or of the next
// when endOfDay) or an RFC 3339 instant.
func parseWhen(s string, endOfDay bool) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("%q is neither a date (2026-11-02) nor an RFC 3339 time (2026-11-02T16:00:00+01:00)", s)
	}
	return t, nil
}

// reportRows are the report's rows and its total, last.
func reportRows(rep api.Report) []api.ReportRow {
	return append(slices.Clone(rep.Rows), rep.Total)
}

// reportColumns are the columns of a kind of report and each row's cells;
// the postage report has one line per product.
func reportColumns(kind string) ([]string, func(api.ReportRow) [][]string) {
	n := strconv.Itoa
	switch kind {
	case api.ReportPostage:
		return []string{"GROUP", "PRODUCT", "ENVELOPES", "POSTAGE"}, func(r api.ReportRow) [][]string {
			var lines [][]string
			envelopes := 0
			for _, p := range r.Postage {
				lines = append(lines, []string{r.Key, p.Product, n(p.Envelopes), p.Postage})
				envelopes += p.Envelopes
			}
			return append(lines, []string{r.Key, "all", n(envelopes), r.PostageTotal})
		}
	case api.ReportReprints:
		return []string{"GROUP", "RUNS", "PIECES_IN", "REPRINTS", "REPRINTED", "RATE_%"}, func(r api.ReportRow) [][]string {
			return [][]string{{r.Key, n(r.Runs), n(r.PiecesIn), n(r.Reprints), n(r.ReprintedPieces), strconv.FormatFloat(r.ReprintRate, 'f', 1, 64)}}
		}
	case api.ReportSLA:
		return []string{"GROUP", "RUNS", "DEADLINES", "MET", "MISSED", "OPEN"}, func(r api.ReportRow) [][]string {
			return [][]string{{r.Key, n(r.Runs), n(r.Deadlines), n(r.Met), n(r.Missed), n(r.Open)}}
		}
	}
	return []string{"GROUP", "RUNS", "PIECES_IN", "PAGES_IN", "SHEETS_IN", "PIECES_OUT", "PAGES_OUT", "SHEETS_OUT", "ENVELOPES"},
		func(r api.ReportRow) [][]string {
			return [][]string{{r.Key, n(r.Runs), n(r.PiecesIn), n(r.PagesIn), n(r.SheetsIn), n(r.PiecesOut), n(r.PagesOut), n(r.SheetsOut), n(r.Envelopes)}}
		}
}

// printPeriodReport writes the report as a table under a line naming it.
func printPeriodReport(w io.Writer, rep api.Report) error {
	fmt.Fprintf(w, "%s of the runs from %s to %s\n\n", rep.Kind, rep.From.Local().Format(time.DateTime), rep.To.Local().Format(time.DateTime))
	header, cells := reportColumns(rep.Kind)
	t := newTable(w, header...)
	for _, r := range reportRows(rep) {
		for _, line := range cells(r) {
			t.row(line...)
		}
	}
	return t.flush()
}

// printReportCSV writes the rows and the total as CSV, with a header.
func printReportCSV(w io.Writer, rep api.Report) error {
	header, cells := reportColumns(rep.Kind)
	cw := csv.NewWriter(w)
	for i := range header {
		header[i] = strings.ToLower(header[i])
	}
	cw.Write(header)
	for _, r := range reportRows(rep) {
		cw.WriteAll(cells(r))
	}
	cw.Flush()
	return cw.Error()
}
