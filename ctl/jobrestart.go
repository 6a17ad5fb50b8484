package ctl

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

// runJobRestart: omsctl job restart ID [--from-piece N | --pieces 5,7-9] [--to TARGET] [--json]
func runJobRestart(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("job restart", "ID [--from-piece N | --pieces 5,7-9] [--to TARGET] [--json]")
	from := fs.Int("from-piece", 0, "print again every piece from piece `N` on, in print order")
	pieces := fs.String("pieces", "", "print again exactly these pieces (`LIST` of seqs and ranges: 5,7-9)")
	to := fs.String("to", "", "send the reprint to this printer or pool (default: the job's)")
	asJSON := fs.Bool("json", false, "print the restart document")
	id, err := e.parseJob(fs, args, "job restart", "ID")
	if err != nil {
		return err
	}
	if *from > 0 && *pieces != "" {
		return fmt.Errorf("job restart: give --from-piece or --pieces, not both")
	}
	req := api.JobRestart{FromPiece: *from, Target: *to}
	if *pieces != "" {
		if req.Pieces, err = parsePieceList(*pieces); err != nil {
			return fmt.Errorf("job restart: --pieces: %w", err)
		}
	}
	res, err := e.client.Restart(ctx, id, req)
	if err != nil {
		return fmt.Errorf("job restart %d: %w", id, err)
	}
	if *asJSON {
		return printJSON(e.stdout, res)
	}
	n := 0
	for _, o := range res.Outputs {
		n += o.Pieces
	}
	_, err = fmt.Fprintf(e.stdout, "job %d %s: %d pieces queued again in %d outputs\n", res.Job.ID, res.Job.State, n, len(res.Outputs))
	return err
}

// maxPieceList bounds how many pieces one --pieces list may name.
const maxPieceList = 1_000_000

// parsePieceList parses "5,7-9" into 5, 7, 8, 9.
func parsePieceList(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a <= 0 {
			return nil, fmt.Errorf("%q is not a piece number or range like 7-9", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("%q is not a range like 7-9", part)
			}
		}
		if len(out)+b-a+1 > maxPieceList {
			return nil, fmt.Errorf("more than %d pieces", maxPieceList)
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
	}
	return out, nil
}
