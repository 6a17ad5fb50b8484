package jobs

import (
	"reflect"
	"testing"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

func TestEnvelopesKeepPiecesTogether(t *testing.T) {
	env := func(n int) *mailpiece.Placement { return mailpiece.Place(n, nil) }
	bySeq := map[int]mailpiece.Piece{
		1: {Seq: 1, Placement: env(1)}, 2: {Seq: 2, Placement: env(1)}, 3: {Seq: 3},
		4: {Seq: 4}, 5: {Seq: 5, Placement: env(2)},
	}
	got := Envelopes([]int{1, 2, 3, 4, 5}, bySeq)
	want := [][]int{{1, 2}, {3}, {4}, {5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("envelopes = %v; want %v", got, want)
	}
}

func TestReleasedState(t *testing.T) {
	for _, tt := range []struct {
		outs []spool.Output
		want spool.State
	}{
		{nil, spool.Pending},
		{[]spool.Output{{Sent: true}, {Sent: false}}, spool.Pending},
		{[]spool.Output{{Sent: true}}, spool.Completed},
	} {
		if got, _ := Released(spool.Job{Outputs: tt.outs}); got != tt.want {
			t.Errorf("outputs %+v: %s, want %s", tt.outs, got, tt.want)
		}
	}
}
