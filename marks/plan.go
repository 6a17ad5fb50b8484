package marks

import (
	"fmt"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/postage"
)

// FromPlan returns the envelopes of one output of a postage plan, in print
// order, with their pieces taken from pieces (by Seq). Pieces' Sheets must
// be the sheets the output prints them on.
func FromPlan(plan *postage.Plan, output string, pieces []mailpiece.Piece) ([]EnvelopeSheets, error) {
	bySeq := make(map[int]*mailpiece.Piece, len(pieces))
	for i := range pieces {
		bySeq[pieces[i].Seq] = &pieces[i]
	}
	var out []EnvelopeSheets
	for _, e := range plan.Envelopes {
		if e.Output != output {
			continue
		}
		env := EnvelopeSheets{ID: e.ID, Inserts: e.Insert, Pieces: make([]PieceSheets, 0, len(e.Pieces))}
		for _, seq := range e.Pieces {
			p := bySeq[seq]
			if p == nil {
				return nil, fmt.Errorf("%w: envelope %d: piece %d is not among the pieces", ErrSheets, e.ID, seq)
			}
			env.Pieces = append(env.Pieces, pieceSheets(p))
		}
		out = append(out, env)
	}
	return out, nil
}

// PerPiece returns one envelope per piece, in the order given, for mail
// runs without a plan; envelope IDs count from 1.
func PerPiece(pieces []mailpiece.Piece) []EnvelopeSheets {
	out := make([]EnvelopeSheets, len(pieces))
	for i := range pieces {
		out[i] = EnvelopeSheets{ID: i + 1, Pieces: []PieceSheets{pieceSheets(&pieces[i])}}
	}
	return out
}

func pieceSheets(p *mailpiece.Piece) PieceSheets {
	return PieceSheets{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta}
}
