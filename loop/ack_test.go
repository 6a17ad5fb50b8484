package loop

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/mailpiece"
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

// TestEnvelopeAlarm: an envelope of two letters inserted twice is one
// alarm naming the envelope and both letters, in both histories.
func TestEnvelopeAlarm(t *testing.T) {
	d, line := loopDaemon(t)
	env := func(n int) *mailpiece.Placement { return mailpiece.Place(n, nil) }
	if err := d.store.SetPieces(1, []spool.Piece{{Seq: 1, Placement: env(2)}, {Seq: 2, Placement: env(1)}, {Seq: 3, Placement: env(2)}}); err != nil {
		t.Fatal(err)
	}
	offer(t, d, line, "a.csv", "job,piece,disposition\n1,1,inserted\n1,2,inserted\n1,2,inserted\n")
	j, _ := d.store.Job(1)
	if j.Loop == nil || len(j.Loop.Incidents) != 1 || !strings.HasPrefix(j.Loop.Incidents[0].Alarm, "envelope 2 (pieces 1, 3) inserted 2 times") ||
		!slices.Equal(j.Loop.Incidents[0].Pieces, []int{1, 3}) {
		t.Fatalf("loop %+v", j.Loop)
	}
	for _, seq := range []int{1, 3} {
		tr, _ := d.store.Track(1, seq)
		if len(tr) != 3 || tr[2].Kind != spool.TrackAlarm {
			t.Errorf("history of letter %d: %+v", seq, tr)
		}
	}
}
