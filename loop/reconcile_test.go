package loop

import (
	"slices"
	"testing"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

func TestStatusOf(t *testing.T) {
	ev := func(kinds ...string) []spool.PieceEvent {
		var out []spool.PieceEvent
		for _, k := range kinds {
			out = append(out, spool.PieceEvent{Kind: k})
		}
		return out
	}
	tests := []struct {
		name     string
		events   []spool.PieceEvent
		want     string
		inserted int
	}{
		{"nothing yet", ev(spool.TrackReceived, spool.TrackPrinted), statusOpen, 0},
		{"inserted", ev(spool.TrackPrinted, spool.TrackInserted), statusInserted, 1},
		{"damaged", ev(spool.TrackPrinted, spool.TrackDamaged), statusReprint, 0},
		{"unread", ev(spool.TrackUnread), statusReprint, 0},
		{"damaged, reprinted", ev(spool.TrackDamaged, spool.TrackReprinted, spool.TrackPrinted), statusReprinting, 0},
		{"reprint damaged again", ev(spool.TrackDamaged, spool.TrackReprinted, spool.TrackDamaged), statusReprint, 0},
		{"reprint inserted", ev(spool.TrackDamaged, spool.TrackReprinted, spool.TrackInserted), statusInserted, 1},
		{"diverted", ev(spool.TrackDiverted), statusDiverted, 0},
		{"hand-mailed after unread", ev(spool.TrackUnread, spool.TrackHandMailed), statusHandMailed, 0},
		{"inserted twice", ev(spool.TrackInserted, spool.TrackInserted), statusInserted, 2},
		{"damaged after inserted stays inserted", ev(spool.TrackInserted, spool.TrackDamaged), statusInserted, 1},
		{"reprint of an inserted piece is not pending", ev(spool.TrackInserted, spool.TrackReprinted), statusInserted, 1},
		{"reprint of an open letter (its envelope's partner damaged) awaits its result", ev(spool.TrackPrinted, spool.TrackReprinted), statusReprinting, 0},
		{"e-mailed", ev(spool.TrackReceived, spool.TrackEmailed), statusDelivered, 0},
		{"in the portal", ev(spool.TrackPortalDelivered), statusDelivered, 0},
		{"fell back to print", ev(spool.TrackFellBack), statusFellBack, 0},
		{"e-mailed, bounced", ev(spool.TrackEmailed, spool.TrackBounced), statusBounced, 0},
		{"e-mailed, bounced, fell back", ev(spool.TrackEmailed, spool.TrackBounced, spool.TrackFellBack), statusFellBack, 0},
		{"e-mailed and printed, inserted", ev(spool.TrackEmailed, spool.TrackPrinted, spool.TrackInserted), statusInserted, 1},
		{"alarm and acknowledgement change nothing", ev(spool.TrackInserted, spool.TrackInserted, spool.TrackAlarm, spool.TrackAcknowledged), statusInserted, 2},
	}
	for _, tt := range tests {
		st := statusOf(tt.events)
		if st.status != tt.want || st.inserted != tt.inserted {
			t.Errorf("%s: %s with %d inserts, want %s with %d", tt.name, st.status, st.inserted, tt.want, tt.inserted)
		}
	}
}

func TestPrintOrder(t *testing.T) {
	root := spool.Job{Outputs: []spool.Output{{Seqs: []int{5, 3, 9}}, {Seqs: []int{1, 7}}}}
	if got := printOrder(root, []int{7, 3, 1, 3}); !slices.Equal(got, []int{3, 1, 7}) {
		t.Errorf("print order %v", got)
	}
}

func TestPostageByProduct(t *testing.T) {
	pl := func(env int, product, price string) *mailpiece.Placement {
		return mailpiece.Place(env, &mailpiece.EnvelopeClass{Product: product, Price: price})
	}
	pieces := []spool.Piece{
		{Seq: 1, Placement: pl(1, "Standardbrief", "0.95")},
		{Seq: 2, Placement: pl(1, "Standardbrief", "0.95")}, // same envelope: counted once
		{Seq: 3, Placement: pl(2, "Standardbrief", "0.95")},
		{Seq: 4, Placement: pl(3, "Grossbrief", "1.80")},
		{Seq: 5, Placement: mailpiece.Held()},
	}
	n, by := postageByProduct(pieces)
	if n != 3 || len(by) != 2 || by[0].Product != "Grossbrief" || by[0].Postage != "1.80" || by[1].Envelopes != 2 || by[1].Postage != "1.90" {
		t.Errorf("%d envelopes, %+v", n, by)
	}
}
