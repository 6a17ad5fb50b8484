package pipeline

import (
	"fmt"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
)

// marking is a workflow's inserter marks.
type marking struct {
	profile     *marks.Profile
	duplex      bool
	divertField string
}

// composeMarked writes an output with the marks of its sheets: the
// envelopes of its pieces in print order, counted afresh for each output
// file (the line runs each as one stack).
func (f *File) composeMarked(path string, pieces []mailpiece.Piece) ([]string, error) {
	run := MarkRun{Job: f.Job, Generation: f.Generation, DivertField: f.marking.divertField}
	return f.pf.writeMarked(path, pieces, run, f.marking)
}

// MarkRun is what marks carry of the print an output belongs to.
type MarkRun struct {
	Job        string // the job's ID ({job}); a reprint carries its run's first job
	Generation int    // the reprint generation ({reprint}); 0 for the first print
	// DivertField is the metadata field that diverts an envelope (any of
	// its pieces diverted, by mailpiece.Diverted); "" for none.
	DivertField string
}

// MarkSheets computes the marks of every sheet of an output of pieces, in
// print order, with profile p, for the print run.
func MarkSheets(p *marks.Profile, run MarkRun, pieces []mailpiece.Piece) ([]marks.SheetMarks, error) {
	sheets, err := marks.Sheets(marks.JobInfo{ID: run.Job}, markedEnvelopes(run, pieces), p)
	if err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	return sheets, nil
}

// markedEnvelopes are the envelopes of an output of pieces, in print
// order, with the run's reprint generation and divert codes.
func markedEnvelopes(run MarkRun, pieces []mailpiece.Piece) []marks.EnvelopeSheets {
	var envs []marks.EnvelopeSheets
	for g := (envelopeGroups{run: run, pieces: pieces}); g.i < len(pieces); {
		envs = append(envs, g.next(nil))
	}
	return envs
}

// EnvelopesOf groups pieces, in print order, into the envelopes the marks
// collate: consecutive pieces of one envelope of the plan (their
// Placement), each with the plan's envelope ID and inserts. A piece
// without a plan is an envelope of its own whose ID is the piece's
// sequence number, so that a chunk or a resend of an output carries the
// IDs of the whole.
func EnvelopesOf(pieces []mailpiece.Piece) []marks.EnvelopeSheets {
	var envs []marks.EnvelopeSheets
	for g := (envelopeGroups{pieces: pieces}); g.i < len(pieces); {
		envs = append(envs, g.next(nil))
	}
	return envs
}

// envelopeGroups groups pieces into envelopes as EnvelopesOf does, one
// envelope at a time, with the run's reprint generation and divert codes
// (zero values without a run): it is the marks.Envelopes of an output
// written with its marks.
type envelopeGroups struct {
	run    MarkRun
	pieces []mailpiece.Piece
	i      int // the next envelope's first piece
	n      int // envelopes; -1 until counted
	env    marks.EnvelopeSheets
}

// streamEnvelopes gives the envelopes of an output of pieces one at a
// time.
func streamEnvelopes(run MarkRun, pieces []mailpiece.Piece) marks.Envelopes {
	return &envelopeGroups{run: run, pieces: pieces, n: -1}
}

func (g *envelopeGroups) Len() int {
	if g.n < 0 {
		g.n = 0
		for i := range g.pieces {
			if i == 0 || envelopeOf(&g.pieces[i]) == 0 || envelopeOf(&g.pieces[i]) != envelopeOf(&g.pieces[i-1]) {
				g.n++
			}
		}
	}
	return g.n
}

func (g *envelopeGroups) Next() (*marks.EnvelopeSheets, bool) {
	if g.i == len(g.pieces) {
		return nil, false
	}
	g.env = g.next(g.env.Pieces[:0])
	return &g.env, true
}

// next is the envelope of the pieces from g.i on, its pieces appended to
// room.
func (g *envelopeGroups) next(room []marks.PieceSheets) marks.EnvelopeSheets {
	p := &g.pieces[g.i]
	e := marks.EnvelopeSheets{ID: p.Seq, Pieces: room, Reprint: g.run.Generation}
	id := envelopeOf(p)
	if id != 0 {
		e.ID, e.Inserts = id, p.Placement.Inserts
	}
	for {
		e.Pieces = append(e.Pieces, marks.PieceSheets{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta})
		if mailpiece.Diverted(p.Meta, g.run.DivertField) {
			e.Divert = "1"
		}
		g.i++
		if id == 0 || g.i == len(g.pieces) || envelopeOf(&g.pieces[g.i]) != id {
			return e
		}
		p = &g.pieces[g.i]
	}
}

// envelopeOf is the plan's envelope of p; 0 without a plan.
func envelopeOf(p *mailpiece.Piece) int {
	if p.Placement == nil {
		return 0
	}
	return p.Placement.Envelope
}
