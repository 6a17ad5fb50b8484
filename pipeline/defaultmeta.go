package pipeline

import (
	"maps"
	"slices"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
)

// DefaultMeta gives every piece the fields of defaults it does not have:
// a job's own metadata is each piece's default, a piece's own fields win.
// The pieces' metadata moves into one new table.
func DefaultMeta(pieces []mailpiece.Piece, defaults map[string]string) {
	if len(defaults) == 0 {
		return
	}
	names := slices.Sorted(maps.Keys(defaults))
	b := meta.NewBuilder()
	b.Grow(grownSize(pieces, defaults))
	for i := range pieces {
		p := &pieces[i]
		b.SetAll(p.Meta)
		for _, k := range names {
			b.SetDefault(k, defaults[k])
		}
		p.Meta = b.End()
	}
}

// grownSize is at most how many fields and bytes of values pieces have
// once defaults are added.
func grownSize(pieces []mailpiece.Piece, defaults map[string]string) (fields, bytes int) {
	extra := 0
	for _, v := range defaults {
		extra += len(v)
	}
	for i := range pieces {
		fields += pieces[i].Meta.Len() + len(defaults)
		bytes += extra
		for _, v := range pieces[i].Meta.All() {
			bytes += len(v)
		}
	}
	return fields, bytes
}
