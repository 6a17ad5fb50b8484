package afp

import (
	"io"
	"iter"
)

// Span is a byte range of the input.
type Span struct {
	Offset int64 `json:"offset"`
	Length int64 `json:"length"`
}

// End is the offset just past the span.
func (s Span) End() int64 { return s.Offset + s.Length }

// Resource is an outermost structure of the print file outside its
// documents: an inline resource group (BRG…ERG), a bare form map, an
// object.
type Resource struct {
	Kind string `json:"kind"` // name of its Begin field: "BRG", "BFM", …
	Name string `json:"name"`
	Span
}

// Piece is one mail piece: a byte span of the input, its pages and what
// its TLEs say. Its attributes and medium maps stay in the tables of the
// indexer that found it, shared by all its pieces: a piece is 72 bytes
// however many attributes it has.
type Piece struct {
	Seq       int32 // 1-based position in the input
	FirstPage int32 // 1-based page number in the input
	Pages     int32
	Sheets    int32
	Name      string // page group name; the key's value for TLE and NOP boundaries
	Span

	t                  *pieceTables
	attrStart, attrEnd uint32 // its attributes in t.attrs
	maps               int32  // its medium map list in t.lists; -1: none
	startMap           int32  // in t.mapNames; -1: none
}

// pieceTables is what pieces refer to: the text, names and attributes of
// one indexer, never written once its pieces are made.
type pieceTables struct {
	text      string
	attrNames []string
	attrs     []attrRec
	lists     [][]string
	mapNames  []string
}

func (t *pieceTables) str(r textRef) string { return t.text[r.start:r.end] }

// Attrs yields the attributes in the order of the TLEs.
func (p *Piece) Attrs() iter.Seq[Attr] {
	return func(yield func(Attr) bool) {
		for i := p.attrStart; i < p.attrEnd; i++ {
			a := p.t.attrs[i]
			if !yield(Attr{Name: p.t.attrNames[a.name], Value: p.t.str(a.value)}) {
				return
			}
		}
	}
}

// NumAttrs is the number of attributes.
func (p *Piece) NumAttrs() int { return int(p.attrEnd - p.attrStart) }

// MediumMaps are the medium maps IMMs in the piece invoke, in order, each
// once; nil when none. The slice is shared: callers must not change it.
func (p *Piece) MediumMaps() []string {
	if p.maps < 0 {
		return nil
	}
	return p.t.lists[p.maps]
}

// StartMap is the medium map the piece inherits when it does not invoke
// one before its first page; WriteOutput invokes it in front of the
// piece. "" when the piece invokes its own, or no map is known.
func (p *Piece) StartMap() string {
	if p.startMap < 0 {
		return ""
	}
	return p.t.mapNames[p.startMap]
}

// Meta returns the attributes as a map; the first of repeated names wins.
func (p *Piece) Meta() map[string]string {
	m := make(map[string]string, p.NumAttrs())
	for a := range p.Attrs() {
		if _, ok := m[a.Name]; !ok {
			m[a.Name] = a.Value
		}
	}
	return m
}

// Value returns the first value of the named attribute.
func (p *Piece) Value(name string) (string, bool) {
	for a := range p.Attrs() {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// Index describes a print file for splitting it: where its header,
// pieces and trailer lie, and what each piece holds. It keeps offsets,
// never page contents.
type Index struct {
	Size int64 `json:"size"`
	// Header is everything before the first piece: resource groups, form
	// map, BDT. WriteOutput copies it into every output.
	Header Span `json:"header"`
	// Trailer is everything after the last piece: EDT and what follows.
	Trailer   Span       `json:"trailer"`
	Resources []Resource `json:"resources,omitempty"`
	// Framing is how the file frames its fields (record descriptors, CR
	// LF); WriteOutput frames the fields it adds the same way.
	Framing Framing `json:"framing,omitzero"`
	// FormMap decides sheet counts: the external one of IndexOptions, else
	// the first inline one; nil when there is neither (pages count as
	// simplex sheets).
	FormMap       *FormMap `json:"form_map,omitempty"`
	FormMapSource string   `json:"form_map_source,omitempty"` // "external", "inline" or ""
	Documents     int      `json:"documents"`
	// PageGroups counts the named page groups (BNG…ENG) of the file.
	PageGroups int     `json:"page_groups,omitempty"`
	Pages      int     `json:"pages"`
	Sheets     int     `json:"sheets"`
	Pieces     []Piece `json:"pieces"`

	tokens map[string][8]byte // 8-byte names of the medium maps IMMs invoke
}

// IndexOptions configures BuildIndex. The zero value indexes page groups
// with code page 500 and the inline form map.
type IndexOptions struct {
	// CodePage decodes TLE text without a 0x01 triplet; 0 means 500.
	CodePage int
	// Boundary says where pieces begin; the zero value is PageGroups.
	Boundary Boundary
	// FormMap is an external form definition (see ParseFormMap); nil uses
	// the form map inline in the print file, if any.
	FormMap *FormMap
}

// BuildIndex reads a print file once, front to back, and indexes it. Its
// memory grows with the number of pieces, not with pages or bytes. For a
// file, BuildIndexAt indexes the same on every core.
func BuildIndex(r io.Reader, opt IndexOptions) (*Index, error) {
	x, err := newIndexer(opt)
	if err != nil {
		return nil, err
	}
	s := newScanner(r, scanBuf)
	fields, err := x.run(s)
	if err != nil {
		return nil, err
	}
	if fields == 0 {
		return nil, formatErr(ErrTruncated, s.off, "", "no structured field in the input")
	}
	return x.finish(s.off)
}

// scanBuf is the buffer an index reads through: it stays in L2 cache.
const scanBuf = 256 << 10

// run gives the indexer every field the scanner reads, up to the end of
// its input, and counts them.
func (x *indexer) run(s *scanner) (fields int, err error) {
	var f rawField
	for {
		if x.page && x.res == 0 && x.segID == 0 && x.frame.seen >= detectFields {
			fields += s.pageRun(x)
		}
		err := s.next(&f)
		if err == io.EOF {
			return fields, nil
		}
		if err != nil {
			return fields, err
		}
		fields++
		if err := x.field(&f); err != nil {
			return fields, err
		}
	}
}
