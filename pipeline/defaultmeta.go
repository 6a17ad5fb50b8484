package pipeline

import "github.com/omsd/omsd/mailpiece"

// DefaultMeta gives every piece the fields of meta it does not have: a
// job's own metadata is each piece's default, a piece's own fields win.
func DefaultMeta(pieces []mailpiece.Piece, meta map[string]string) {
	if len(meta) == 0 {
		return
	}
	for i := range pieces {
		p := &pieces[i]
		if p.Meta == nil {
			p.Meta = make(map[string]string, len(meta))
		}
		for k, v := range meta {
			if _, own := p.Meta[k]; !own {
				p.Meta[k] = v
			}
		}
	}
}
