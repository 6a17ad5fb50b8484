package ctl

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// runDeliveries: omsctl deliveries JOB [--json]
func runDeliveries(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("deliveries", "JOB [--json]")
	asJSON := fs.Bool("json", false, "print the deliveries document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("deliveries", pos, "JOB"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	ds, err := e.client.Deliveries(ctx, id)
	if err != nil {
		return fmt.Errorf("deliveries %d: %w", id, err)
	}
	if *asJSON {
		return printJSON(e.stdout, ds)
	}
	if len(ds.Deliveries) == 0 {
		_, err := fmt.Fprintf(e.stdout, "job %d has no digital deliveries (every piece is printed, or the job is not analysed yet)\n", id)
		return err
	}
	fmt.Fprintf(e.stdout, "job %d: %s\n", id, statusCounts(ds.States))
	t := newTable(e.stdout, "PIECE", "CHANNEL", "STATE", "TO", "ATTEMPTS", "NEXT TRY", "DETAIL")
	for _, d := range ds.Deliveries {
		next := ""
		if !d.NextTry.IsZero() {
			next = fmtTime(d.NextTry)
		}
		detail := d.Reply
		if d.Error != "" {
			detail = d.Error
		}
		if d.FallbackJob != 0 {
			detail = "printed in job " + itoa(d.FallbackJob) + ": " + detail
		}
		if d.MessageID != "" {
			detail = "<" + d.MessageID + "> " + detail
		}
		t.row(strconv.Itoa(d.Seq), d.Channel, d.State, d.To, strconv.Itoa(d.Attempts), next, strings.TrimSpace(detail))
	}
	return t.flush()
}
