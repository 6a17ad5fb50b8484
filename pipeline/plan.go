package pipeline

import (
	"fmt"
	"strings"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/postage"
)

// planRun plans the mail run of the analysed pieces with the workflow's
// postage settings. It updates a: the pieces' sheets as the plan prints
// them, their placement, and the totals. The plan's envelopes are on the
// pieces' placements (one placement shared by an envelope's pieces, one
// class shared by the envelopes of a kind); the plan returned does not
// hold them again.
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
	classes := envelopeClasses{}
	plan, err := postage.MakeEach(in, *wf.Postage, func(e postage.Envelope) {
		pl := mailpiece.Place(e.ID, classes.of(e))
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
			p.Placement = mailpiece.Held()
		}
	}
	return plan, nil
}

// envelopeClasses are a run's envelope classes by what they hold: a run
// of thousands of envelopes has a few classes, each placement points to
// its envelope's.
type envelopeClasses map[classKey]*mailpiece.EnvelopeClass

type classKey struct {
	envelopeType, product, level, output, inserts string
	sheets                                        int
	price                                         postage.Money
}

// of is the class of envelope e, made when it is the first of its kind.
func (cs envelopeClasses) of(e postage.Envelope) *mailpiece.EnvelopeClass {
	k := classKey{envelopeType: e.Type, product: e.Product, level: e.Level, output: e.Output,
		inserts: strings.Join(e.Insert, "\x00"), sheets: e.Sheets, price: e.Price}
	if c, ok := cs[k]; ok {
		return c
	}
	c := &mailpiece.EnvelopeClass{EnvelopeType: e.Type, Sheets: e.Sheets, Product: e.Product,
		Level: e.Level, Price: e.Price.String(), Output: e.Output, Inserts: e.Insert}
	cs[k] = c
	return c
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
// pieces, nil when there is none.
func seqLookup(pieces []mailpiece.Piece) func(seq int) *mailpiece.Piece {
	index := indexLookup(pieces)
	return func(seq int) *mailpiece.Piece {
		if i := index(seq); i >= 0 {
			return &pieces[i]
		}
		return nil
	}
}

// indexLookup returns a function from a sequence number to the index of
// its piece in pieces, -1 when there is none: the number minus one when
// the pieces are numbered 1, 2, 3, … in order (as files are analysed), a
// map otherwise.
func indexLookup(pieces []mailpiece.Piece) func(seq int) int {
	inOrder := true
	for i := range pieces {
		if pieces[i].Seq != i+1 {
			inOrder = false
			break
		}
	}
	if inOrder {
		return func(seq int) int {
			if seq < 1 || seq > len(pieces) {
				return -1
			}
			return seq - 1
		}
	}
	bySeq := make(map[int]int, len(pieces))
	for i := range pieces {
		bySeq[pieces[i].Seq] = i
	}
	return func(seq int) int {
		if i, ok := bySeq[seq]; ok {
			return i
		}
		return -1
	}
}
