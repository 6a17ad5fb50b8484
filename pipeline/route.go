package pipeline

import (
	"github.com/omsd/omsd/mailpiece"
)

// routePieces sets each piece's channel by route. The analysis's sheet
// count becomes that of the pieces left in the print run.
func routePieces(a *Analysis, route Route) {
	a.Sheets = 0
	for i := range a.Pieces {
		p := &a.Pieces[i]
		p.Channel = route(*p)
		if p.Channel == "print" {
			p.Channel = ""
		}
		if p.Printed() {
			a.Sheets += p.Sheets
		}
	}
}

// printedPieces are the pieces that stay in the print run; pieces itself
// when all do.
func printedPieces(pieces []mailpiece.Piece) []mailpiece.Piece {
	n := 0
	for _, p := range pieces {
		if p.Printed() {
			n++
		}
	}
	if n == len(pieces) {
		return pieces
	}
	out := make([]mailpiece.Piece, 0, n)
	for _, p := range pieces {
		if p.Printed() {
			out = append(out, p)
		}
	}
	return out
}

// delivered reports whether a piece left the print run for a digital
// channel (not suppressed): its postage counts as saved.
func delivered(p mailpiece.Piece) bool {
	return !p.Printed() && p.Channel != "suppress"
}
