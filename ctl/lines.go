package ctl

import (
	"context"
	"fmt"
	"strings"
)

// runLines: omsctl lines [--json]
func runLines(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("lines", "[--json]")
	asJSON := fs.Bool("json", false, "print the lines as JSON")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("lines", pos); err != nil {
		return err
	}
	ls, err := e.client.Lines(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, ls)
	}
	if len(ls) == 0 {
		_, err := fmt.Fprintln(e.stdout, "no inserting lines are configured (see \"Inserting lines\" in the README)")
		return err
	}
	for _, l := range ls {
		fmt.Fprintf(e.stdout, "line %s: manifests %s (%s) → results %s (%s); %d waiting, %d runs open\n",
			l.Name, l.ManifestDir, l.ManifestLayout, l.ResultDir, l.ResultLayout, len(l.Waiting), len(l.Runs))
		if l.Error != "" {
			fmt.Fprintf(e.stdout, "  problem: %s\n", l.Error)
		}
		t := newTable(e.stdout, "  RUN", "NAME", "LOOP", "PIECES IN", "OUT", "UNACCOUNTED", "ALARMS", "REPRINTS")
		for _, r := range l.Runs {
			t.row("  "+itoa(r.Job), r.Name, r.Loop, itoa(int64(r.PiecesIn)), itoa(int64(r.PiecesOut)), itoa(int64(len(r.Unaccounted))), itoa(int64(len(r.Alarms))), itoa(int64(len(r.Reprints))))
		}
		if err := t.flush(); err != nil {
			return err
		}
		for _, q := range l.Quarantined {
			fmt.Fprintf(e.stdout, "  quarantined %s: %s\n", q.Name, strings.Join(q.Problems, "; "))
		}
	}
	return nil
}
