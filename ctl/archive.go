package ctl

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/atomicfile"
)

const archiveUsage = "search COND… [--from T] [--to T] [--json] | get PIECE -o FILE | reprint PIECE… [--workflow W] [--to PRINTER] | hold NAME COND…|--pieces P,… [--reason R] | release NAME | holds | verify | reindex | expire | export --format cmod-generic COND… DIR"

// runArchive: omsctl archive VERB …
func runArchive(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("archive: want one of search, get, reprint, hold, release, holds, verify, reindex, expire, export (see omsctl help)")
	}
	verbs := map[string]func(context.Context, *env, []string) error{
		"search": runArchiveSearch, "get": runArchiveGet, "reprint": runArchiveReprint,
		"hold": runArchiveHold, "release": runArchiveRelease, "holds": runArchiveHolds,
		"verify": runArchiveVerify, "reindex": runArchiveReindex, "expire": runArchiveExpire, "export": runArchiveExport,
	}
	run, ok := verbs[args[0]]
	if !ok {
		return fmt.Errorf("archive: unknown verb %q; want one of search, get, reprint, hold, release, holds, verify, reindex, expire, export", args[0])
	}
	return run(ctx, e, args[1:])
}

// parseArchiveWhen reads a --from/--to time: RFC 3339 or a date (UTC midnight).
func parseArchiveWhen(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--%s %q: write a date (2026-03-03) or an RFC 3339 time", flag, s)
}

// runArchiveSearch: omsctl archive search COND… [--from T] [--to T] [--limit N] [--json]
func runArchiveSearch(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive search", "COND… [--from DATE] [--to DATE] [--limit N] [--json]")
	from := fs.String("from", "", "only pieces sent at or after this date or time")
	to := fs.String("to", "", "only pieces sent before this date or time")
	limit := fs.Int("limit", 0, "at most this many pieces (default 1000)")
	asJSON := fs.Bool("json", false, "print the records")
	conds, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	f, err := parseArchiveWhen("from", *from)
	if err != nil {
		return err
	}
	t, err := parseArchiveWhen("to", *to)
	if err != nil {
		return err
	}
	recs, err := e.client.ArchiveSearch(ctx, conds, f, t, *limit)
	if err != nil {
		return fmt.Errorf("archive search: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, recs)
	}
	tb := newTable(e.stdout, "PIECE", "SENT", "WORKFLOW", "CHANNEL", "PRINTER", "PAGES", "FIELDS", "NAME/ADDRESS")
	for _, r := range recs {
		var fields []string
		for k, v := range r.Fields {
			fields = append(fields, k+"="+v)
		}
		tb.row(r.ID, fmtTime(r.Sent), r.Workflow, r.Channel, r.Printer, strconv.Itoa(r.Pages), strings.Join(slices.Sorted(slices.Values(fields)), " "), strings.Join(r.Text, ", "))
	}
	return tb.flush()
}

// runArchiveGet: omsctl archive get PIECE -o FILE [--pdf]
func runArchiveGet(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive get", "PIECE -o FILE [--pdf]")
	out := fs.String("o", "", "write the piece, as it was sent, to this `file`")
	asPDF := fs.Bool("pdf", false, "write an AFP piece as a PDF to look at (rendered by omsctl transform's engine); a PDF piece is written as it is")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("archive get", pos, "PIECE"); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("archive get: name the file to write with -o FILE")
	}
	if *asPDF {
		return archiveGetPDF(ctx, e, pos[0], *out)
	}
	var sum string
	_, err = atomicfile.WriteWith(*out, 0o644, func(f *os.File) error {
		sum, err = e.client.ArchiveGet(ctx, pos[0], f)
		return err
	})
	if err != nil {
		return fmt.Errorf("archive get %s: %w", pos[0], err)
	}
	fmt.Fprintf(e.stdout, "%s: piece %s, SHA-256 %s (matches the archive's record)\n", *out, pos[0], sum)
	return nil
}

// archiveLine is the archive's line of omsctl status.
func archiveLine(a api.ArchiveStatus, now time.Time) string {
	line := fmt.Sprintf("%s: %d segments, %d pieces, %d legal holds", a.Store, a.Segments, a.Pieces, a.Holds)
	if a.Backlog > 0 {
		line += fmt.Sprintf("; BEHIND: %d pieces (%d bytes) sent, not stored yet, the oldest since %s (%s ago)",
			a.Backlog, a.BacklogBytes, fmtTime(a.BacklogSince), now.Sub(a.BacklogSince).Round(time.Second))
	}
	switch {
	case a.Problem != "" && a.Backlog > 0:
		line += fmt.Sprintf("; the store fails since %s (%s ago): %s", fmtTime(a.Since), now.Sub(a.Since).Round(time.Second), a.Problem)
	case a.Problem != "":
		line += fmt.Sprintf("; OUTPUTS WAIT since %s (%s ago): %s", fmtTime(a.Since), now.Sub(a.Since).Round(time.Second), a.Problem)
	case !a.Ready:
		line += "; the store has not answered since omsd started"
	}
	return line
}
