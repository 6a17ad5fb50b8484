package pipeline

import (
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
)

// TakeOutputs is OutputsOf without copying the pieces: it puts r.Pieces
// in print order in place (the outputs' pieces one output after the
// other, outputs in name order, then the pieces of no output in their
// order) and returns each output's pieces as a part of r.Pieces. A run of
// 200,000 pieces is then held once, not twice. Afterwards r.Pieces is no
// longer in input order: call it only when nothing reads r's pieces in
// that order again. A plan that puts a piece into more than one output
// gets copies, as from OutputsOf.
func TakeOutputs(wf config.Workflow, r *Result) []OutputPieces {
	if r.Plan == nil {
		return OutputsOf(wf, *r)
	}
	index := indexLookup(r.Pieces)
	order := make([]int32, 0, len(r.Pieces))
	taken := make([]bool, len(r.Pieces))
	names := sortedKeys(r.Plan.Outputs)
	counts := make([]int, len(names))
	for i, name := range names {
		for _, seq := range r.Plan.Outputs[name] {
			j := index(seq)
			if j < 0 {
				continue
			}
			if taken[j] {
				return OutputsOf(wf, *r)
			}
			taken[j] = true
			order = append(order, int32(j))
			counts[i]++
		}
	}
	for j := range r.Pieces {
		if !taken[j] {
			order = append(order, int32(j))
		}
	}
	permute(r.Pieces, order)
	outs := make([]OutputPieces, len(names))
	start := 0
	for i, name := range names {
		end := start + counts[i]
		outs[i] = OutputPieces{Name: name, Pieces: r.Pieces[start:end:end]}
		start = end
	}
	return outs
}

// permute puts pieces in the order given: afterwards pieces[k] is what
// pieces[order[k]] was. order is a permutation of the indexes of pieces;
// permute uses it up (every entry becomes -1).
func permute(pieces []mailpiece.Piece, order []int32) {
	for i := range order {
		if order[i] < 0 {
			continue
		}
		first := pieces[i]
		j := i
		for {
			k := int(order[j])
			order[j] = -1
			if k == i {
				pieces[j] = first
				break
			}
			pieces[j] = pieces[k]
			j = k
		}
	}
}
