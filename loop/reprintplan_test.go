package loop

import (
	"reflect"
	"slices"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/spool"
)

// TestWholeEnvelopes: a letter that needs a reprint takes the other
// letters of its envelope along, in print order, unless the line
// accounted for them.
func TestWholeEnvelopes(t *testing.T) {
	env := func(n int) *mailpiece.Placement { return mailpiece.Place(n, nil) }
	root := spool.Job{Outputs: []spool.Output{{Seqs: []int{3, 1, 2, 4, 5, 6}}}}
	pieces := []spool.Piece{{Seq: 1, Placement: env(1)}, {Seq: 2, Placement: env(2)}, {Seq: 3, Placement: env(1)},
		{Seq: 4, Placement: env(3)}, {Seq: 5, Placement: env(3)}, {Seq: 6, Placement: env(4)}}
	rs := runStatus{root: root, envs: envelopesOf(root, pieces), pieces: map[int]pieceStatus{
		1: {status: statusReprint}, 2: {status: statusInserted}, 3: {status: statusOpen},
		4: {status: statusReprint}, 5: {status: statusInserted}, 6: {status: statusReprint},
	}}
	if got := rs.wholeEnvelopes([]int{1, 4, 6}); !slices.Equal(got, []int{3, 1, 4, 6}) {
		t.Errorf("reprint of 1, 4, 6: %v, want 3 1 (envelope 1 in print order), 4 (its partner 5 was inserted), 6", got)
	}
}

// TestPlanReprint: a reprint's envelopes keep their letters and IDs, even
// where the workflow's householding would merge them otherwise, and are
// priced afresh with the workflow's rate profile (single-piece: a
// handful of envelopes is no presorted mailing).
func TestPlanReprint(t *testing.T) {
	cfg, err := config.Parse([]byte(`version: 1
printers: [{name: p, driver: file, file: {dir: out}}]
workflows:
  - name: w
    printer: p
    postage:
      carrier: deutschepost
      paper: {gsm: 80, width_mm: 210, height_mm: 297}
      envelopes: [{name: C6/5, max_sheets: 4, weight_g: 5.0, format: standard}, {name: C4, max_sheets: 100, weight_g: 13, format: gross}]
      household: {enabled: true, key: [customer_id]}
      presort: {enabled: true, origin: "04109"}
      fields: {postal_code: zip, country: country}
`))
	if err != nil {
		t.Fatal(err)
	}
	wf, _ := cfg.Workflow("w")
	m := meta.Of("zip", "04109", "country", "DE", "customer_id", "C1")
	was := func(env int) *mailpiece.Placement {
		return mailpiece.Place(env, &mailpiece.EnvelopeClass{EnvelopeType: "C6/5", Product: "Standardbrief", Level: "BZA", Price: "0.59"})
	}
	pieces := []spool.Piece{
		{Seq: 4, Pages: 1, Sheets: 1, Meta: m, Placement: was(7)},
		{Seq: 9, Pages: 2, Sheets: 2, Meta: m, Placement: was(7)},
		{Seq: 2, Pages: 1, Sheets: 1, Meta: m, Placement: was(3)}, // same household, another envelope
	}
	if err := planReprint(wf, pieces); err != nil {
		t.Fatal(err)
	}
	a, b, c := pieces[0].Placement, pieces[1].Placement, pieces[2].Placement
	if !reflect.DeepEqual(a, b) || a.Envelope != 7 || a.Sheets != 3 || a.Level != "single-piece" || a.Product != "Standardbrief" || a.Price != "0.95" || a.Output != "reprint" {
		t.Errorf("envelope 7 reprinted as %+v and %+v, want one single-piece Standardbrief of 3 sheets at 0.95", a, b)
	}
	if c.Envelope != 3 || c.Sheets != 1 || c.Price != "0.95" {
		t.Errorf("envelope 3 reprinted as %+v", c)
	}
}
