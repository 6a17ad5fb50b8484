package pipeline

import (
	"fmt"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/postage"
)

// planRun plans the mail run of the analysed pieces with the workflow's
// postage settings. It updates a: the pieces' sheets as the plan prints
// them, their placement, and the totals. The plan's envelopes are on the
// pieces' placements (one placement shared by an envelope's pieces); the
// plan returned does not hold them again.
func planRun(wf config.Workflow, a *Analysis) (*postage.Plan, error) {
	in := make([]postage.Piece, 0, len(a.Pieces))
	digital := &postage.DigitalReport{ByChannel: map[string]int{}}
	for _, p := range a.Pieces {
		if p.Printed() {
			in = append(in, postage.Piece{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta})
		} else if delivered(p) {
			digital.Pieces++
			digital.ByChannel[p.Channel]++
		}
	}
	bySeq := seqLookup(a.Pieces)
	prices := map[postage.Money]string{} // a run has a few prices: one string each
	plan, err := postage.MakeEach(in, *wf.Postage, func(e postage.Envelope) {
		price, ok := prices[e.Price]
		if !ok {
			price = e.Price.String()
			prices[e.Price] = price
		}
		pl := &mailpiece.Placement{
			Envelope: e.ID, EnvelopeType: e.Type, Sheets: e.Sheets, Product: e.Product,
			Level: e.Level, Price: price, Output: e.Output, Inserts: e.Insert,
		}
		for _, seq := range e.Pieces {
			if p := bySeq(seq); p != nil {
				p.Placement = pl
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("planning the mail run: %w", err)
	}
	if digital.Pieces > 0 {
		if digital.PostageSaved, err = paperPostage(wf, a.Pieces); err != nil {
			return nil, err
		}
		digital.PostageSaved -= plan.Report.After.Postage
		plan.Report.Digital = digital
	}
	a.Sheets = 0
	for i := range a.Pieces {
		p := &a.Pieces[i]
		p.Sheets = mailpiece.SheetsFor(p.Pages, wf.Postage.Duplex)
		if p.Printed() {
			a.Sheets += p.Sheets
		}
	}
	for _, seq := range plan.Held {
		if p := bySeq(seq); p != nil {
			p.Placement = &mailpiece.Placement{Held: true}
		}
	}
	return plan, nil
}

// paperPostage is the postage of the run had its digitally delivered
// pieces been printed too: the what-if plan their saving is measured
// against.
func paperPostage(wf config.Workflow, pieces []mailpiece.Piece) (postage.Money, error) {
	in := make([]postage.Piece, 0, len(pieces))
	for _, p := range pieces {
		if p.Printed() || delivered(p) {
			in = append(in, postage.Piece{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta})
		}
	}
	plan, err := postage.Make(in, *wf.Postage)
	if err != nil {
		return 0, fmt.Errorf("planning the run on paper: %w", err)
	}
	return plan.Report.After.Postage, nil
}

// outputsOf returns the plan's outputs with their pieces in print order,
// outputs in name order.
func outputsOf(plan *postage.Plan, pieces []mailpiece.Piece) []namedPieces {
	bySeq := seqLookup(pieces)
	var out []namedPieces
	for _, name := range sortedKeys(plan.Outputs) {
		seqs := plan.Outputs[name]
		np := namedPieces{name: name, pieces: make([]mailpiece.Piece, 0, len(seqs))}
		for _, seq := range seqs {
			if p := bySeq(seq); p != nil {
				np.pieces = append(np.pieces, *p)
			}
		}
		out = append(out, np)
	}
	return out
}

type namedPieces struct {
	name   string
	pieces []mailpiece.Piece
}

// seqLookup returns a function from a sequence number to its piece in
// pieces, nil when there is none: an index when the pieces are numbered
// 1, 2, 3, … in order (as files are analysed), a map otherwise.
func seqLookup(pieces []mailpiece.Piece) func(seq int) *mailpiece.Piece {
	inOrder := true
	for i := range pieces {
		if pieces[i].Seq != i+1 {
			inOrder = false
			break
		}
	}
	if inOrder {
		return func(seq int) *mailpiece.Piece {
			if seq < 1 || seq > len(pieces) {
				return nil
			}
			return &pieces[seq-1]
		}
	}
	bySeq := make(map[int]*mailpiece.Piece, len(pieces))
	for i := range pieces {
		bySeq[pieces[i].Seq] = &pieces[i]
	}
	return func(seq int) *mailpiece.Piece { return bySeq[seq] }
}
