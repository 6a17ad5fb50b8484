package ctl

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// runTrack: omsctl track JOB/PIECE [--json]
func runTrack(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("track", "JOB/PIECE [--json]")
	asJSON := fs.Bool("json", false, "print the piece's history document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("track", pos, "JOB/PIECE"); err != nil {
		return err
	}
	jobArg, pieceArg, ok := strings.Cut(pos[0], "/")
	id, err := parseID(jobArg)
	seq, serr := strconv.Atoi(pieceArg)
	if !ok || err != nil || serr != nil || seq <= 0 {
		return fmt.Errorf("track: %q is not JOB/PIECE, e.g. 7/42", pos[0])
	}
	tr, err := e.client.Track(ctx, id, seq)
	if err != nil {
		return fmt.Errorf("track %s: %w", pos[0], err)
	}
	if *asJSON {
		return printJSON(e.stdout, tr)
	}
	channel := ""
	if tr.Piece.Channel != "" {
		channel = " (channel " + tr.Piece.Channel + ")"
	}
	fmt.Fprintf(e.stdout, "job %d piece %d: %s%s\n", tr.Job, tr.Seq, tr.Status, channel)
	t := newTable(e.stdout, "TIME", "EVENT", "JOB", "GEN", "WHERE", "OPERATOR", "DETAIL")
	for _, ev := range tr.Events {
		where := ev.Device
		if ev.Line != "" {
			where = ev.Line
		}
		detail := ev.Detail
		if ev.File != "" {
			detail += fmt.Sprintf(" (%s line %d)", ev.File, ev.FileLine)
		}
		t.row(fmtTime(ev.Time), ev.Kind, itoa(ev.Job), strconv.Itoa(ev.Generation), where, ev.Operator, strings.TrimSpace(detail))
	}
	return t.flush()
}
