package pipeline

import (
	"testing"

	"github.com/omsd/omsd/mailpiece"
)

// TestTakeOutputsIsOutputsOfInPlace: the outputs TakeOutputs returns are
// OutputsOf's, piece for piece, as parts of the run's own pieces, which
// it puts in print order without losing or doubling one.
func TestTakeOutputsIsOutputsOfInPlace(t *testing.T) {
	in, side, _ := plannedRun(t, 60)
	wf := plannedWorkflow(t)
	_, r, err := Plan(wf, in, side)
	if err != nil {
		t.Fatal(err)
	}
	want := OutputsOf(wf, r)
	outs := TakeOutputs(wf, &r)
	if len(outs) != len(want) || len(outs) != 2 {
		t.Fatalf("%d outputs, want %d (flats, main)", len(outs), len(want))
	}
	at := 0
	for i, out := range outs {
		if out.Name != want[i].Name || len(out.Pieces) != len(want[i].Pieces) {
			t.Fatalf("output %d: %s of %d pieces, want %s of %d", i, out.Name, len(out.Pieces), want[i].Name, len(want[i].Pieces))
		}
		for j, p := range out.Pieces {
			if !p.Equal(want[i].Pieces[j]) {
				t.Errorf("output %s, piece %d: %+v, want %+v", out.Name, j, p, want[i].Pieces[j])
			}
		}
		if &out.Pieces[0] != &r.Pieces[at] {
			t.Errorf("output %s is a copy, not a part of the run's pieces", out.Name)
		}
		at += len(out.Pieces)
	}
	seen := map[int]int{}
	for _, p := range r.Pieces {
		seen[p.Seq]++
	}
	for seq := 1; seq <= 60; seq++ {
		if seen[seq] != 1 {
			t.Errorf("piece %d is %d times in the run's pieces, want once", seq, seen[seq])
		}
	}
}

// TestPermuteFollowsEveryCycle: permute puts pieces in any order given,
// cycles of every length and fixed points alike.
func TestPermuteFollowsEveryCycle(t *testing.T) {
	order := []int32{3, 0, 2, 5, 1, 4, 6, 8, 7}
	pieces := make([]mailpiece.Piece, len(order))
	for i := range pieces {
		pieces[i].Seq = i + 1
	}
	want := make([]int, len(order))
	for k, i := range order {
		want[k] = int(i) + 1
	}
	permute(pieces, order)
	for k, p := range pieces {
		if p.Seq != want[k] {
			t.Fatalf("position %d holds piece %d, want %d (all: %+v)", k, p.Seq, want[k], pieces)
		}
	}
}

// TestPlacementsShareEnvelopeClasses: a plan's placements point to a few
// envelope classes, one for each kind of envelope, not one copy each.
func TestPlacementsShareEnvelopeClasses(t *testing.T) {
	in, side, _ := plannedRun(t, 60)
	_, r, err := Plan(plannedWorkflow(t), in, side)
	if err != nil {
		t.Fatal(err)
	}
	classes := map[*mailpiece.EnvelopeClass]bool{}
	byContent := map[string]*mailpiece.EnvelopeClass{}
	envelopes := map[int]bool{}
	for _, p := range r.Pieces {
		pl := p.Placement
		if pl == nil || pl.EnvelopeClass == nil {
			t.Fatalf("piece %d has no placement or class: %+v", p.Seq, pl)
		}
		envelopes[pl.Envelope] = true
		classes[pl.EnvelopeClass] = true
		k := pl.EnvelopeType + "|" + pl.Product + "|" + pl.Level + "|" + pl.Price + "|" + pl.Output + "|" + string(rune('0'+pl.Sheets))
		if c, ok := byContent[k]; ok && c != pl.EnvelopeClass {
			t.Errorf("piece %d: class %+v is a copy of one the run has already", p.Seq, *pl.EnvelopeClass)
		}
		byContent[k] = pl.EnvelopeClass
	}
	if len(classes) >= len(envelopes) {
		t.Errorf("%d classes for %d envelopes: want fewer classes than envelopes", len(classes), len(envelopes))
	}
}
