package pipeline

import (
	"slices"
	"strings"

	"github.com/omsd/omsd/mailpiece"
)

// Order returns the pieces in print order: sorted by the metadata fields
// keys, in turn, keeping the input order among equals. With no keys the
// input order stands.
func Order(pieces []mailpiece.Piece, keys []string) []mailpiece.Piece {
	out := slices.Clone(pieces)
	if len(keys) == 0 {
		return out
	}
	slices.SortStableFunc(out, func(a, b mailpiece.Piece) int {
		for _, k := range keys {
			if c := strings.Compare(a.Meta.Get(k), b.Meta.Get(k)); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}
