package marks

import (
	"errors"
	"fmt"
	"testing"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/postage"
)

func TestFromPlan(t *testing.T) {
	pieces := []mailpiece.Piece{
		{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 2}, {Seq: 2, FirstPage: 3, Pages: 1, Sheets: 1},
		{Seq: 3, FirstPage: 4, Pages: 3, Sheets: 2, Meta: meta.FromMap(map[string]string{"zip": "12345"})},
	}
	plan := &postage.Plan{Envelopes: []postage.Envelope{
		{ID: 1, Pieces: []int{3}, Output: "a", Insert: []string{"x"}},
		{ID: 2, Pieces: []int{2, 1}, Output: "b"},
		{ID: 3, Pieces: []int{1}, Output: "a"},
	}}
	got, err := FromPlan(plan, "a", pieces)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 3 || got[0].Inserts[0] != "x" ||
		fmt.Sprint(got[0].Pieces[0]) != fmt.Sprint(PieceSheets{Seq: 3, Pages: 3, Sheets: 2, Meta: pieces[2].Meta}) {
		t.Errorf("envelopes of output a: %+v", got)
	}
	got, _ = FromPlan(plan, "b", pieces)
	if len(got) != 1 || len(got[0].Pieces) != 2 || got[0].Pieces[0].Seq != 2 || got[0].Pieces[1].Seq != 1 {
		t.Errorf("envelopes of output b: %+v", got)
	}
	if _, err := FromPlan(plan, "a", pieces[:2]); !errors.Is(err, ErrSheets) {
		t.Errorf("missing piece: %v", err)
	}
	per := PerPiece(pieces)
	if len(per) != 3 || per[2].ID != 3 || per[2].Pieces[0].Seq != 3 || len(per[2].Pieces) != 1 {
		t.Errorf("PerPiece: %+v", per)
	}
}
