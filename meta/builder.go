package meta

import (
	"maps"
	"slices"
)

// Builder makes the Fields of pieces one after the other: Set and
// SetDefault add fields to the piece being built, End closes it. The
// pieces share the builder's table (a new one when a table is full).
type Builder struct {
	t     *Table
	start int // the first field of the piece being built
	// pos is, per name number, 1 + the index of the field of that name
	// in the piece being built, valid when stamp matches.
	pos   []uint32
	stamp []uint32
	piece uint32 // the piece being built, counted from 1
	dirty bool   // the piece being built has replaced fields
}

// NewBuilder returns a builder with an empty table.
func NewBuilder() *Builder { return &Builder{t: newTable(), piece: 1} }

// Set gives the piece being built the field name with value v; a value
// set before under the same name is replaced.
func (b *Builder) Set(name, v string) { b.set(name, v, true) }

// SetDefault gives the piece being built the field name with value v
// unless it has that field already.
func (b *Builder) SetDefault(name, v string) { b.set(name, v, false) }

// SetAll sets every field of m on the piece being built.
func (b *Builder) SetAll(m Fields) {
	for k, v := range m.All() {
		b.Set(k, v)
	}
}

// SetMap sets every field of m on the piece being built, in name order.
func (b *Builder) SetMap(m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b.Set(k, m[k])
	}
}

func (b *Builder) set(name, v string, replace bool) {
	if !b.t.fits(len(v)) && len(b.t.fields) > b.start {
		b.moveOn()
	} else if !b.t.fits(len(v)) && len(b.t.fields) > 0 {
		b.t, b.start, b.pos, b.stamp = newTable(), 0, nil, nil
	}
	t := b.t
	ni := t.name(name)
	for int(ni) >= len(b.pos) {
		b.pos, b.stamp = append(b.pos, 0), append(b.stamp, 0)
	}
	if b.stamp[ni] == b.piece {
		if !replace {
			return
		}
		t.fields[b.pos[ni]-1].name = dead
		b.dirty = true
	}
	t.add(ni, v)
	b.stamp[ni], b.pos[ni] = b.piece, uint32(len(t.fields))
}

// moveOn starts a new table, taking the fields of the piece being built
// along.
func (b *Builder) moveOn() {
	old, from := b.t, b.start
	b.t, b.start, b.pos, b.stamp = newTable(), 0, nil, nil
	for i := from; i < len(old.fields); i++ {
		if f := old.fields[i]; f.name != dead {
			b.set(old.names[f.name], old.str(i), true)
		}
	}
	old.arena = old.arena[:old.start(from)]
	old.fields = old.fields[:from:from]
}

// End closes the piece being built and returns its fields.
func (b *Builder) End() Fields {
	if b.dirty {
		b.sweep()
	}
	m := Fields{t: b.t, lo: uint32(b.start), hi: uint32(len(b.t.fields))}
	if m.IsZero() {
		m = Fields{}
	}
	b.next()
	return m
}

// sweep removes the replaced fields of the piece being built, moving the
// values after them down. Nothing has seen the piece's values yet.
func (b *Builder) sweep() {
	t := b.t
	w, at := b.start, t.start(b.start)
	from := at // where field i's value begins, before any move
	for i := b.start; i < len(t.fields); i++ {
		f := t.fields[i]
		if f.name == dead {
			from = f.end
			continue
		}
		n := uint32(copy(t.arena[at:], t.arena[from:f.end]))
		at += n
		t.fields[w] = field{name: f.name, end: at}
		w++
		from = f.end
	}
	t.fields, t.arena = t.fields[:w], t.arena[:at]
}

// Drop forgets the fields of the piece being built. Their values were
// never handed out, so the arena can take their place again.
func (b *Builder) Drop() {
	b.t.arena = b.t.arena[:b.t.start(b.start)]
	b.t.fields = b.t.fields[:b.start]
	b.next()
}

// next begins the next piece.
func (b *Builder) next() {
	b.start, b.dirty = len(b.t.fields), false
	b.piece++
	if b.piece == 0 { // wrapped: no stamp may match a new piece
		clear(b.stamp)
		b.piece = 1
	}
}

// Grow makes room for about fields more fields holding bytes more bytes
// of values, for a caller that knows what is coming: the table then grows
// once instead of by doubling.
func (b *Builder) Grow(fields, bytes int) {
	t := b.t
	if fields <= 0 || bytes < 0 || !t.fits(bytes) || uint64(len(t.fields))+uint64(fields) >= limit {
		return
	}
	t.fields = slices.Grow(t.fields, fields)
	t.arena = slices.Grow(t.arena, bytes)
}
