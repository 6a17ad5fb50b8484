package meta

import (
	"math"
	"slices"
	"strings"
	"unsafe"
)

// Table is the metadata of many pieces: field names, each kept once, and
// the values of every field back to back in one arena. Pieces see it
// through Fields.
type Table struct {
	names  []string
	nameIx map[string]uint32 // made once a table has a few names
	arena  []byte            // written once: bytes are only ever appended
	fields []field           // pieces' fields, piece after piece
}

// field is one metadata field: its name's number and the end of its value
// in the arena; the value starts where the table's field before it ends.
type field struct {
	name uint32
	end  uint32
}

// dead is the name of a field a later value replaced while its piece was
// built; End removes such fields before the piece is handed out.
const dead = math.MaxUint32

// limit is the largest arena and field count one table takes; a Builder
// starts a new table beyond it (a variable for the tests).
var limit = uint64(math.MaxUint32)

func newTable() *Table { return &Table{} }

// fewNames is how many names a table looks up one by one before it makes
// a map of them: a piece's own table stays a few small slices.
const fewNames = 8

// name returns the number of name, adding it when it is new.
func (t *Table) name(name string) uint32 {
	if t.nameIx != nil {
		if i, ok := t.nameIx[name]; ok {
			return i
		}
	} else if i := slices.Index(t.names, name); i >= 0 {
		return uint32(i)
	}
	i := uint32(len(t.names))
	name = strings.Clone(name) // callers' strings may share a large buffer
	t.names = append(t.names, name)
	switch {
	case t.nameIx != nil:
		t.nameIx[name] = i
	case len(t.names) > fewNames:
		t.nameIx = make(map[string]uint32, 2*len(t.names))
		for k, n := range t.names {
			t.nameIx[n] = uint32(k)
		}
	}
	return i
}

// add appends a field of name number ni and value v.
func (t *Table) add(ni uint32, v string) {
	t.arena = append(t.arena, v...)
	t.fields = append(t.fields, field{name: ni, end: uint32(len(t.arena))})
}

// start is where the value of field i begins.
func (t *Table) start(i int) uint32 {
	if i == 0 {
		return 0
	}
	return t.fields[i-1].end
}

// fits reports whether n more bytes of values and one more field fit.
func (t *Table) fits(n int) bool {
	return uint64(len(t.arena))+uint64(n) <= limit && uint64(len(t.fields))+1 < limit
}

// str returns the value of field i. The bytes of a piece's values are
// never changed once the piece is handed out (a grown arena leaves the old
// array to the strings that point into it), so the string may share them.
func (t *Table) str(i int) string {
	start, end := t.start(i), t.fields[i].end
	if start == end {
		return ""
	}
	return unsafe.String(&t.arena[start], int(end-start))
}
