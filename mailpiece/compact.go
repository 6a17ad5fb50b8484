package mailpiece

import "strings"

// compact holds the pieces of a sidecar index while it is read: each
// piece's page count and the end of its metadata fields; each field a
// field-name number and the end of its value in one shared arena. Field
// names are kept once. A piece costs a few bytes plus its values, not a map.
//
// A decoder appends a piece's fields with field, then add keeps them for the
// piece or dropPending forgets them.
type compact struct {
	names   []string
	nameIdx map[string]uint32
	arena   []byte // all values, back to back
	fields  []field
	pages   []int
	metaEnd []uint32 // per piece, the end of its fields in fields
}

// field is one metadata field: its name and the end of its value in the
// arena; the value starts where the field before it ends.
type field struct {
	name uint32
	end  uint32
}

func newCompact() compact { return compact{nameIdx: map[string]uint32{}} }

func (c *compact) len() int { return len(c.pages) }

// field appends a pending metadata field of the piece being read.
func (c *compact) field(name, value string) {
	i, ok := c.nameIdx[name]
	if !ok {
		i = uint32(len(c.names))
		name = strings.Clone(name)
		c.names = append(c.names, name)
		c.nameIdx[name] = i
	}
	c.arena = append(c.arena, value...)
	c.fields = append(c.fields, field{name: i, end: uint32(len(c.arena))})
}

// add keeps a piece of the given page count with the pending fields.
func (c *compact) add(pages int) {
	c.pages = append(c.pages, pages)
	c.metaEnd = append(c.metaEnd, uint32(len(c.fields)))
}

// dropPending forgets the fields appended since the last piece was kept.
func (c *compact) dropPending() {
	n, end := 0, 0
	if k := len(c.metaEnd); k > 0 {
		n = int(c.metaEnd[k-1])
	}
	if n > 0 {
		end = int(c.fields[n-1].end)
	}
	c.fields, c.arena = c.fields[:n], c.arena[:end]
}

// expand returns the pieces, numbered from 1 and laid end to end from page
// 1. The metadata values share one copy of the arena.
func (c *compact) expand(duplex bool) []Piece {
	arena := string(c.arena)
	c.arena = nil
	pieces := make([]Piece, len(c.pages))
	first, f, start := 1, 0, uint32(0)
	for i, pages := range c.pages {
		var meta map[string]string
		if end := int(c.metaEnd[i]); end > f {
			meta = make(map[string]string, end-f)
			for ; f < end; f++ {
				fl := c.fields[f]
				meta[c.names[fl.name]] = arena[start:fl.end]
				start = fl.end
			}
		}
		pieces[i] = newPiece(i+1, first, pages, meta, duplex)
		first += pages
	}
	return pieces
}
