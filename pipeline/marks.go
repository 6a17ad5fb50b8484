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
	envs := EnvelopesOf(pieces)
	for i := range envs {
		envs[i].Reprint = run.Generation
		for _, ps := range envs[i].Pieces {
			if mailpiece.Diverted(ps.Meta, run.DivertField) {
				envs[i].Divert = "1"
			}
		}
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
	last := 0
	for i := range pieces {
		p := &pieces[i]
		ps := marks.PieceSheets{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta}
		id := 0
		if p.Placement != nil {
			id = p.Placement.Envelope
		}
		if id != 0 && id == last {
			envs[len(envs)-1].Pieces = append(envs[len(envs)-1].Pieces, ps)
			continue
		}
		e := marks.PerPiece([]mailpiece.Piece{*p})[0]
		e.ID = p.Seq
		if id != 0 {
			e.ID, e.Inserts = id, p.Placement.Inserts
		}
		envs = append(envs, e)
		last = id
	}
	return envs
}
