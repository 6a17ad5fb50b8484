package afp

import (
	"math"
	"unsafe"
)

// While an index is built, pieces, their attributes and their text live in
// records without pointers, so the garbage collector has nothing to trace
// in them however many pieces there are; finish turns them into Pieces,
// with all names and values cut from one string.

// textRef is a string in the indexer's text arena.
type textRef struct{ start, end uint32 }

func (r textRef) empty() bool { return r.end == r.start }

// attrRec is an attribute: the number of its name and its value.
type attrRec struct {
	name  int32
	value textRef
}

// pieceRec is a piece while the index is built.
type pieceRec struct {
	name                     textRef
	attrStart, attrEnd       uint32 // its attributes in indexer.attrs
	firstPage, pages, sheets int32
	maps                     int32 // its medium map list in indexer.lists; -1: none
	startMap                 int32 // in indexer.mapNames; -1: none
	offset, length           int64
}

// recStore keeps records in chunks: growing never copies them, and
// pointers to them stay valid.
type recStore struct {
	chunks [][]pieceRec
	n      int
}

const recChunk = 4096

// add returns a new record at the end.
func (s *recStore) add() *pieceRec {
	if s.n%recChunk == 0 {
		s.chunks = append(s.chunks, make([]pieceRec, 0, recChunk))
	}
	c := &s.chunks[len(s.chunks)-1]
	*c = append(*c, pieceRec{maps: -1, startMap: -1})
	s.n++
	return &(*c)[len(*c)-1]
}

// addText decodes b into the arena, without trailing spaces and NULs;
// false when the arena would pass 4 GiB.
func (x *indexer) addText(b []byte, cp int) (textRef, bool) {
	start := len(x.text)
	if start+4*len(b) > math.MaxUint32 {
		return textRef{}, false
	}
	x.text = decodeAppend(reserve(x.text, 4*len(b)), b, cp)
	n := len(x.text)
	for n > start && (x.text[n-1] == ' ' || x.text[n-1] == 0) {
		n--
	}
	x.text = x.text[:n]
	return textRef{uint32(start), uint32(n)}, true
}

// addName puts the name of a Begin field into the arena: its 8-byte token
// (code page 500 or ASCII), or a long name from its triplets.
func (x *indexer) addName(data []byte) (textRef, bool) {
	switch {
	case len(data) > 8:
		return x.addText([]byte(beginName(data)), cpUTF8)
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFF:
		return textRef{}, true
	}
	return x.addText(data, DefaultCodePage)
}

// nameID numbers a name in a table, once for each distinct name; false
// when the table is full.
func nameID(table *[]string, index map[string]int32, name string) (int32, bool) {
	if id, ok := index[name]; ok {
		return id, true
	}
	if len(*table) >= maxNames {
		return 0, false
	}
	id := int32(len(*table))
	*table = append(*table, name)
	index[name] = id
	return id, true
}

// listID numbers a list of medium map numbers, once for each distinct
// list; -1 for none, false when the table is full.
func (x *indexer) listID(maps []int32) (int32, bool) {
	if len(maps) == 0 {
		return -1, true
	}
	x.key = x.key[:0]
	for _, m := range maps {
		x.key = append(x.key, byte(m>>24), byte(m>>16), byte(m>>8), byte(m))
	}
	if id, ok := x.listIndex[string(x.key)]; ok {
		return id, true
	}
	if len(x.lists) >= maxNames {
		return 0, false
	}
	names := make([]string, len(maps))
	for i, m := range maps {
		names[i] = x.mapNames[m]
	}
	x.lists = append(x.lists, names)
	x.listIndex[string(x.key)] = int32(len(x.lists) - 1)
	return int32(len(x.lists) - 1), true
}

// fillPieces turns the records into Pieces in out, numbering them from
// seq+1 and their pages from page+1. The pieces refer to the indexer's
// tables.
func (x *indexer) fillPieces(out []Piece, seq, page int) {
	// The arena is not written after this: its strings can share it.
	t := &pieceTables{text: unsafe.String(unsafe.SliceData(x.text), len(x.text)),
		attrNames: x.attrNames, attrs: x.attrs, lists: x.lists, mapNames: x.mapNames}
	i := 0
	for _, chunk := range x.recs.chunks {
		for _, r := range chunk {
			out[i] = Piece{Seq: int32(seq + i + 1), Name: t.str(r.name), FirstPage: int32(page) + r.firstPage, Pages: r.pages, Sheets: r.sheets,
				Span: Span{r.offset, r.length}, t: t, attrStart: r.attrStart, attrEnd: r.attrEnd, maps: r.maps, startMap: r.startMap}
			i++
		}
	}
}

// touchPages writes a zero byte into every memory page of s, a slice
// fresh from make, and returns it. The slices of Pieces and Attrs are
// filled while the garbage collector marks (their allocation starts it),
// when its write barrier reads each pointer before it is written: the
// first touch of a page would be a read, mapping the kernel's zero page,
// and the write after it a copy-on-write fault that flushes the TLB of
// every CPU running the process, a quarter of the time of a split index.
// Zero written over zero changes no pointer.
func touchPages[T any](s []T) []T {
	if len(s) == 0 {
		return s
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), uintptr(len(s))*unsafe.Sizeof(s[0]))
	for i := 0; i < len(b); i += 4096 {
		b[i] = 0
	}
	return s
}

// reserve returns s with room for n more elements, doubling its capacity
// when it must grow: append grows large slices by a quarter, copying them
// over and over as an index of a million pages builds up.
func reserve[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	grown := make([]T, len(s), max(2*cap(s), len(s)+n, 256))
	copy(grown, s)
	return grown
}
