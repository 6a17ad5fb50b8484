package mailpiece

import "github.com/omsd/omsd/meta"

// compact holds the pieces of a sidecar index while it is read: each
// piece's page count and its metadata, whose names and values a
// meta.Builder keeps in one shared table. A piece costs a few bytes plus
// its values, not a map.
//
// A decoder sets a piece's fields with field, then add keeps them for the
// piece or dropPending forgets them.
type compact struct {
	b     *meta.Builder
	pages []int
	metas []meta.Fields
}

func newCompact() compact { return compact{b: meta.NewBuilder()} }

func (c *compact) len() int { return len(c.pages) }

// field sets a pending metadata field of the piece being read; a later
// value of a name replaces an earlier one.
func (c *compact) field(name, value string) { c.b.Set(name, value) }

// add keeps a piece of the given page count with the pending fields.
func (c *compact) add(pages int) {
	c.pages = append(c.pages, pages)
	c.metas = append(c.metas, c.b.End())
}

// dropPending forgets the fields set since the last piece was kept.
func (c *compact) dropPending() { c.b.Drop() }

// expand returns the pieces, numbered from 1 and laid end to end from page
// 1.
func (c *compact) expand(duplex bool) []Piece {
	pieces := make([]Piece, len(c.pages))
	first := 1
	for i, pages := range c.pages {
		pieces[i] = newPiece(i+1, first, pages, c.metas[i], duplex)
		first += pages
	}
	return pieces
}
