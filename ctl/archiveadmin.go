package ctl

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/api"
)

// runArchiveReprint: omsctl archive reprint PIECE… [--workflow W] [--to PRINTER] [--json]
func runArchiveReprint(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive reprint", "PIECE… [--workflow W] [--to PRINTER] [--json]")
	wf := fs.String("workflow", "", "the workflow the reprint jobs run (its printer prints them); default each piece's own. The pieces print as archived, marks included: none are drawn again")
	to := fs.String("to", "", "print on this printer or pool instead of the workflow's")
	asJSON := fs.Bool("json", false, "print the jobs")
	pieces, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pieces) == 0 {
		return fmt.Errorf("archive reprint: name the pieces, e.g. 12-3-0 (see omsctl archive search)")
	}
	res, err := e.client.ArchiveReprint(ctx, api.ArchiveReprintRequest{Pieces: pieces, Workflow: *wf, To: *to})
	if err != nil {
		return fmt.Errorf("archive reprint: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, res)
	}
	for i, j := range res.Jobs {
		fmt.Fprintf(e.stdout, "piece %s: job %d (%s)\n", pieces[i], j.ID, j.State)
	}
	return nil
}

// runArchiveHold: omsctl archive hold NAME [COND…] [--pieces P,…] [--reason R]
func runArchiveHold(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive hold", "NAME [COND…] [--pieces P,…] [--from DATE] [--to DATE] [--reason R] [--json]")
	pieces := fs.String("pieces", "", "comma-separated piece IDs to hold")
	reason := fs.String("reason", "", "why, e.g. the case or audit")
	from := fs.String("from", "", "hold pieces sent at or after this date")
	to := fs.String("to", "", "hold pieces sent before this date")
	asJSON := fs.Bool("json", false, "print the hold")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("archive hold: name the hold, then conditions or --pieces")
	}
	r := api.ArchiveHoldRequest{Name: pos[0], Reason: *reason, Query: pos[1:]}
	if *pieces != "" {
		r.Pieces = strings.Split(*pieces, ",")
	}
	if r.From, err = parseArchiveWhen("from", *from); err != nil {
		return err
	}
	if r.To, err = parseArchiveWhen("to", *to); err != nil {
		return err
	}
	h, err := e.client.ArchiveHold(ctx, r)
	if err != nil {
		return fmt.Errorf("archive hold: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, h)
	}
	fmt.Fprintf(e.stdout, "hold %s: %d pieces are kept until it is released (omsctl archive release %s)\n", h.Name, len(h.Pieces), h.Name)
	return nil
}

// runArchiveRelease: omsctl archive release NAME
func runArchiveRelease(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive release", "NAME")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("archive release", pos, "NAME"); err != nil {
		return err
	}
	h, err := e.client.ArchiveRelease(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("archive release: %w", err)
	}
	fmt.Fprintf(e.stdout, "hold %s released: its %d pieces expire with their retention\n", h.Name, len(h.Pieces))
	return nil
}

// runArchiveHolds: omsctl archive holds [--json]
func runArchiveHolds(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive holds", "[--json]")
	asJSON := fs.Bool("json", false, "print the holds")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	hs, err := e.client.ArchiveHolds(ctx)
	if err != nil {
		return fmt.Errorf("archive holds: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, hs)
	}
	t := newTable(e.stdout, "HOLD", "PIECES", "CREATED", "BY", "REASON")
	for _, h := range hs {
		t.row(h.Name, fmt.Sprint(len(h.Pieces)), fmtTime(h.Created), h.By, h.Reason)
	}
	return t.flush()
}

// runArchiveVerify: omsctl archive verify [--json]; an error when any
// mismatch is found.
func runArchiveVerify(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive verify", "[--json]")
	asJSON := fs.Bool("json", false, "print what was checked and found")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	v, err := e.client.ArchiveVerify(ctx)
	if err != nil {
		return fmt.Errorf("archive verify: %w", err)
	}
	if *asJSON {
		if err := printJSON(e.stdout, v); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "ledger: %d entries; %d segments, %d pieces, %d bytes checked\n", v.Entries, v.Segments, v.Pieces, v.Bytes)
		for _, p := range v.Problems {
			where := "segment " + p.Segment
			if p.Piece != "" {
				where += " piece " + p.Piece
			}
			fmt.Fprintf(e.stdout, "MISMATCH %s: %s\n", where, p.What)
		}
	}
	if len(v.Problems) > 0 {
		return fmt.Errorf("archive verify: %d mismatches; the archive was changed outside omsd: restore the named segments from a copy", len(v.Problems))
	}
	return nil
}

// runArchiveReindex: omsctl archive reindex [--json]
func runArchiveReindex(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive reindex", "[--json]")
	asJSON := fs.Bool("json", false, "print what was indexed")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	r, err := e.client.ArchiveReindex(ctx)
	if err != nil {
		return fmt.Errorf("archive reindex: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, r)
	}
	fmt.Fprintf(e.stdout, "index rebuilt from %d segments: %d pieces\n", r.Segments, r.Pieces)
	return nil
}

// runArchiveExpire: omsctl archive expire [--json]
func runArchiveExpire(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive expire", "[--json]")
	asJSON := fs.Bool("json", false, "print what was deleted and kept")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	r, err := e.client.ArchiveExpire(ctx)
	if err != nil {
		return fmt.Errorf("archive expire: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, r)
	}
	for _, d := range r.Deleted {
		fmt.Fprintf(e.stdout, "deleted %s (%d pieces past retention)\n", d.Segment, len(d.Pieces))
	}
	for _, k := range r.Kept {
		fmt.Fprintf(e.stdout, "kept %s: held pieces %s\n", k.Segment, strings.Join(k.Held, ", "))
	}
	return nil
}

// runArchiveExport: omsctl archive export --format cmod-generic COND… DIR
func runArchiveExport(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("archive export", "--format cmod-generic COND… DIR [--json]")
	format := fs.String("format", "cmod-generic", "the export format: cmod-generic (IBM CMOD generic indexer)")
	asJSON := fs.Bool("json", false, "print what was written")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("archive export: want conditions and a directory, e.g. account=4711 /srv/export")
	}
	dir, err := filepath.Abs(pos[len(pos)-1])
	if err != nil {
		return err
	}
	r, err := e.client.ArchiveExport(ctx, api.ArchiveExportRequest{Format: *format, Query: pos[:len(pos)-1], Dir: dir})
	if err != nil {
		return fmt.Errorf("archive export: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, r)
	}
	fmt.Fprintf(e.stdout, "%d pieces exported to %s; load them with arsload using %s\n", r.Pieces, r.Dir, r.IndexFile)
	return nil
}
