package loop

import (
	"context"
	"slices"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// TestAckStaysInReport: an acknowledged alarm stays in the close-out with
// who acknowledged it, when and why, and in the piece's history; a later
// alarm acknowledged without a name is the operator's.
func TestAckStaysInReport(t *testing.T) {
	d, line := loopDaemon(t)
	ctx := context.Background()
	offer(t, d, line, "a.csv", "job,piece,disposition\n1,1,inserted\n1,2,inserted\n1,1,inserted\n")
	if j, _ := d.store.Job(1); j.State != spool.Held {
		t.Fatalf("piece 1 inserted twice: job %s", j.State)
	}
	if _, err := d.Ack(ctx, 1, api.AlarmAck{Reason: "second envelope pulled", By: "alice"}); err != nil {
		t.Fatal(err)
	}
	offer(t, d, line, "b.csv", "job,piece,disposition\n1,2,inserted\n")
	if _, err := d.Ack(ctx, 1, api.AlarmAck{Reason: "pulled too"}); err != nil {
		t.Fatal(err)
	}
	rep, err := d.Report(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Incidents) != 2 || len(rep.Alarms) != 0 {
		t.Fatalf("incidents %+v, open alarms %v", rep.Incidents, rep.Alarms)
	}
	first, second := rep.Incidents[0], rep.Incidents[1]
	if a := first.Acknowledged; a == nil || a.By != "alice" || a.Reason != "second envelope pulled" || a.Time.IsZero() || first.Raised.IsZero() || first.Pieces[0] != 1 {
		t.Errorf("first incident %+v, ack %+v", first, first.Acknowledged)
	}
	if a := second.Acknowledged; a == nil || a.By != "operator" || second.Pieces[0] != 2 {
		t.Errorf("second incident %+v, ack %+v", second, second.Acknowledged)
	}
	tr, err := d.Track(ctx, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range tr.Events {
		kinds = append(kinds, e.Kind)
	}
	want := []string{"inserted", "inserted", "alarm", "acknowledged"}
	if len(kinds) < 4 || !slices.Equal(kinds[:4], want) || tr.Events[3].Operator != "alice" || tr.Events[3].Detail != "second envelope pulled" {
		t.Errorf("history of piece 1: %v\n%+v", kinds, tr.Events)
	}
}
