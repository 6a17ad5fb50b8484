package ctl

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
)

// runReprint: omsctl reprint JOB [--pieces 5,7-9] [--to TARGET] [--copies N] [--json]
func runReprint(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("reprint", "JOB [--pieces 5,7-9] [--to TARGET] [--copies N] [--json]")
	pieces := fs.String("pieces", "", "reprint exactly these pieces (`LIST` of seqs and ranges: 5,7-9); default: every piece the line reported damaged or unread")
	to := fs.String("to", "", "send the reprint to this printer or pool (default: the job's)")
	copies := fs.Int("copies", 0, "copies of each piece, 1 to 999 (default: as many as the run made)")
	asJSON := fs.Bool("json", false, "print the reprint document")
	id, err := e.parseJob(fs, args, "reprint", "JOB")
	if err != nil {
		return err
	}
	req := api.ReprintRequest{Target: *to, Copies: *copies}
	if *pieces != "" {
		if req.Pieces, err = parsePieceList(*pieces); err != nil {
			return fmt.Errorf("reprint: --pieces: %w", err)
		}
	}
	res, err := e.client.Reprint(ctx, id, req)
	if err != nil {
		return fmt.Errorf("reprint %d: %w", id, err)
	}
	if *asJSON {
		return printJSON(e.stdout, res)
	}
	_, err = fmt.Fprintf(e.stdout, "job %d: reprint job %d (%s) of %d pieces on %s\n",
		res.Job.ID, res.Reprint.ID, res.Reprint.State, res.Reprint.Pieces, res.Reprint.Printer)
	return err
}
