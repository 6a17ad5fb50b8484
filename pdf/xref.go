package pdf

import (
	"bytes"
	"errors"
	"fmt"
)

// An xref entry packs where an object is into 64 bits: the kind in the top
// four, then for kind inFile its offset in the file, for kind inStream the
// number of its object stream (upper 32 bits of the rest) and its index
// there (lower 28).
const (
	unset    = 0 // no section has named the object yet
	inFile   = 1
	inStream = 2
	free     = 3

	kindShift = 60
	idxBits   = 28
	// maxObjects bounds the object numbers a file may use: 8 Mi objects,
	// enough for several million pages, and an xref of at most 64 MiB.
	maxObjects = 1 << 23
	// maxSections bounds the chain of xref sections (incremental updates).
	maxSections = 1 << 12
)

func entryKind(e uint64) int     { return int(e >> kindShift) }
func entryOffset(e uint64) int64 { return int64(e & (1<<kindShift - 1)) }
func entryStream(e uint64) (int, int) {
	return int(e & (1<<kindShift - 1) >> idxBits), int(e & (1<<idxBits - 1))
}
func fileEntry(off int64) uint64 { return inFile<<kindShift | uint64(off) }
func streamEntry(stm, idx int) uint64 {
	return inStream<<kindShift | uint64(stm)<<idxBits | uint64(idx)
}

// errXref reports an xref that cannot be followed; Open then rebuilds the
// xref by scanning the file.
var errXref = errors.New("cross-reference table")

// xrefBuilder collects entries, newest section first: the first entry
// given for an object number counts.
type xrefBuilder struct {
	entries []uint64
}

func (x *xrefBuilder) set(num int, e uint64) error {
	if num < 0 || num >= maxObjects {
		return fmt.Errorf("%w: object number %d out of range", errXref, num)
	}
	for num >= len(x.entries) {
		x.entries = append(x.entries, 0)
	}
	if entryKind(x.entries[num]) == unset {
		x.entries[num] = e
	}
	return nil
}

// readXref reads the chain of xref sections from startxref on and returns
// the entries and the newest trailer.
func (d *Doc) readXref() ([]uint64, dict, error) {
	off, err := d.startxref()
	if err != nil {
		return nil, nil, err
	}
	var x xrefBuilder
	var trailer dict
	seen := map[int64]bool{}
	for n := 0; off >= 0; n++ {
		if seen[off] || n >= maxSections {
			return nil, nil, fmt.Errorf("%w: its sections lead back to each other", errXref)
		}
		seen[off] = true
		t, err := d.readSection(off, &x)
		if err != nil {
			return nil, nil, err
		}
		if trailer == nil {
			trailer = t
		}
		off = -1
		if prev, ok := t.get("Prev").(int64); ok {
			off = d.base + prev
		}
	}
	return x.entries, trailer, nil
}

// startxref finds the offset of the newest xref section, named after the
// last "startxref" of the file.
func (d *Doc) startxref() (int64, error) {
	tail := d.data[max(0, len(d.data)-eofWindow-64):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return 0, fmt.Errorf("%w: no startxref", errXref)
	}
	l := &lexer{b: tail, pos: i + len("startxref")}
	off, ok := l.uint()
	if !ok {
		return 0, fmt.Errorf("%w: startxref without an offset", errXref)
	}
	return d.base + int64(off), nil
}

// readSection reads the section at off, a table or a stream, into x.
func (d *Doc) readSection(off int64, x *xrefBuilder) (dict, error) {
	if off < 0 || off >= int64(len(d.data)) {
		return nil, fmt.Errorf("%w: a section at offset %d, outside the file", errXref, off)
	}
	l := &lexer{b: d.data, pos: int(off)}
	if l.expect("xref") {
		return d.readTable(l, x)
	}
	return d.readXrefStream(off, x)
}

// readTable reads a classic table after its "xref" keyword, then the
// trailer, and a hybrid file's xref stream (/XRefStm) before the table's
// own entries.
func (d *Doc) readTable(l *lexer, x *xrefBuilder) (dict, error) {
	type entry struct {
		num int
		e   uint64
	}
	var entries []entry
	for !l.expect("trailer") {
		first, ok1 := l.uint()
		count, ok2 := l.uint()
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%w: bad subsection header at offset %d", errXref, l.pos)
		}
		for i := 0; i < count; i++ { // count is not trusted: each entry is read
			off, ok1 := l.uint()
			_, ok2 := l.uint()
			l.skip()
			if !ok1 || !ok2 || l.pos >= len(l.b) || (l.b[l.pos] != 'n' && l.b[l.pos] != 'f') {
				return nil, fmt.Errorf("%w: bad entry for object %d at offset %d", errXref, first+i, l.pos)
			}
			e := uint64(free << kindShift)
			if l.b[l.pos] == 'n' {
				e = fileEntry(d.base + int64(off))
			}
			l.pos++
			entries = append(entries, entry{first + i, e})
		}
	}
	t, err := l.object(0)
	trailer, ok := t.(dict)
	if err != nil || !ok {
		return nil, fmt.Errorf("%w: bad trailer (%v)", errXref, err)
	}
	if stm, ok := trailer.get("XRefStm").(int64); ok {
		if _, err := d.readXrefStream(d.base+stm, x); err != nil {
			return nil, err
		}
	}
	for _, e := range entries {
		if err := x.set(e.num, e.e); err != nil {
			return nil, err
		}
	}
	return trailer, nil
}
