package afp

import "fmt"

const (
	maxDepth  = 64      // deepest nesting of Begin fields
	maxJoined = 1 << 20 // largest segmented field the index joins
	maxNames  = 4096    // distinct medium map and attribute names kept
)

// openField is a Begin field whose End has not come yet.
type openField struct {
	id    uint32
	start int64 // offset of its first byte, filler included
	off   int64 // offset of its 0x5A
}

// indexer is the state of one BuildIndex pass.
type indexer struct {
	opt     IndexOptions
	cp      int
	idx     *Index
	stack   []openField
	topName string // name of the outermost open structure
	res     int    // open resource structures (BRG, BRS, BFM, BMO, BPS)
	fmb     formMapBuilder
	fm      *FormMap // the form map for sheet counts, once known

	segID  uint32 // identifier of a segmented field being joined; 0: none
	segOff int64
	segBuf []byte

	doc, afterEDT, group, page bool
	docOff, groupOff, edtOff   int64
	groupName                  textRef
	groupPages                 int
	pageAttrs                  []attrRec
	pageTrigger                bool
	pageName                   textRef
	pageText                   int // length of the text arena when the page began

	header       bool      // the header has ended
	cut          int64     // end of the last page or group at document level
	recs         recStore  // the pieces
	cur          *pieceRec // the open piece
	curAttrs     []attrRec // its attributes so far
	curMaps      []int32   // the medium maps it invoked so far
	split        bool      // a boundary was seen: the next page starts a piece
	pendingAttrs []attrRec
	pendingMaps  []int32
	pendingName  textRef

	active   *MediumMap // invoked by the last IMM; nil: the default map
	activeID int32      // its number in mapNames; -1: none invoked
	sheets   sheetCounter

	// A part of a split index (see split.go) begins without knowing the
	// map in effect: inherit is set until it invokes one or begins a
	// document, usedInherit once it took the default map for it.
	inherit, usedInherit bool

	text      []byte    // names and values of all pieces
	attrs     []attrRec // attributes of all pieces, in order
	attrNames []string
	attrIndex map[string]int32
	rawAttr   map[string]int32 // attribute names by their bytes in the default code page
	mapNames  []string
	mapIndex  map[string]int32
	lists     [][]string // distinct lists of medium maps that pieces invoke
	listIndex map[string]int32
	key       []byte // scratch for listIndex keys
	immCache  map[[8]byte]immEntry
	frame     framingDetector
}

// immEntry is what an IMM's 8-byte name stands for.
type immEntry struct {
	id int32
	m  *MediumMap
}

func newIndexer(opt IndexOptions) (*indexer, error) {
	if err := opt.Boundary.Validate(); err != nil {
		return nil, err
	}
	cp := opt.CodePage
	if cp == 0 {
		cp = DefaultCodePage
	}
	if !SupportedCodePage(cp) {
		return nil, fmt.Errorf("afp: default code page %d: %w", cp, ErrCodePage)
	}
	x := &indexer{opt: opt, cp: cp, fm: opt.FormMap, activeID: -1, idx: &Index{tokens: map[string][8]byte{}},
		attrIndex: map[string]int32{}, rawAttr: map[string]int32{}, mapIndex: map[string]int32{}, listIndex: map[string]int32{},
		immCache: map[[8]byte]immEntry{}}
	if x.fm != nil {
		x.idx.FormMapSource = "external"
	}
	return x, nil
}

// field takes one field: joins segments, keeps the nesting, and acts.
func (x *indexer) field(f *rawField) error {
	if x.frame.seen < detectFields {
		x.frame.see(f)
	}
	if x.page && x.res == 0 && x.segID == 0 && f.flags&FlagSeg == 0 && x.inPage(f) {
		return nil
	}
	data := f.data
	if f.flags&FlagSeg != 0 || x.segID != 0 {
		var complete bool
		var err error
		if data, complete, err = x.join(f); err != nil || !complete {
			return err
		}
	}
	if x.afterEDT && x.topLevel() && f.id != IDBDT && f.id != IDEPF && f.id != IDNOP {
		return formatErr(ErrStructure, f.off, f.name(), "field after the end of the document (EDT at offset %d)", x.edtOff)
	}
	switch {
	case IsBegin(f.id):
		return x.begin(f, data)
	case IsEnd(f.id):
		return x.end(f, data)
	}
	return x.single(f, data)
}

// inPage takes a field of page content the index only nests (BAG, PTX,
// EPT, …) and reports whether it did; other fields take the long way.
// It runs for most fields of a run.
func (x *indexer) inPage(f *rawField) bool {
	id := f.id
	switch {
	case IsBegin(id):
		if id == IDBPG || id == IDBNG || id == IDBDT || id == IDBMM || isResource(id) || len(x.stack) >= maxDepth {
			return false
		}
		x.stack = append(x.stack, openField{id: id, start: f.start(), off: f.off})
		return true
	case IsEnd(id):
		beginID := id&^0xFF00 | 0xA800
		n := len(x.stack)
		if beginID == IDBPG || beginID == IDBMM || n == 0 || x.stack[n-1].id != beginID {
			return false
		}
		x.stack = x.stack[:n-1]
		return true
	}
	switch id {
	case IDTLE, IDIMM, IDIPG, IDNOP, IDMCC, IDMMC:
		return false
	}
	return true
}

// join collects the segments of a segmented field; complete is false while
// more segments are to come. Only fields the index reads keep their data.
func (x *indexer) join(f *rawField) (data []byte, complete bool, err error) {
	if x.segID != 0 && f.id != x.segID {
		return nil, false, formatErr(ErrStructure, f.off, f.name(), "segmented %s at offset %d is not continued", IDName(x.segID), x.segOff)
	}
	if x.segID == 0 {
		x.segBuf, x.segOff = x.segBuf[:0], f.off
	}
	if readsData(f.id) {
		if len(x.segBuf)+len(f.data) > maxJoined {
			return nil, false, formatErr(ErrLength, f.off, f.name(), "segmented field longer than %d bytes", maxJoined)
		}
		x.segBuf = append(x.segBuf, f.data...)
	}
	if f.flags&FlagSeg != 0 {
		x.segID = f.id
		return nil, false, nil
	}
	x.segID = 0
	return x.segBuf, true, nil
}

// readsData reports whether the index looks into a field's data.
func readsData(id uint32) bool {
	switch id {
	case IDTLE, IDIMM, IDNOP, IDBNG, IDBFM, IDBMM, IDMCC, IDMMC, IDBRG, IDBRS:
		return true
	}
	return false
}

func isResource(id uint32) bool {
	switch id {
	case IDBRG, IDBRS, IDBFM, IDBMO, IDBPS:
		return true
	}
	return false
}

// topLevel reports whether nothing but a print file is open.
func (x *indexer) topLevel() bool {
	return len(x.stack) == 0 || len(x.stack) == 1 && x.stack[0].id == IDBPF
}

// inDocument reports whether a document is open and no resource is.
func (x *indexer) inDocument() bool { return x.doc && x.res == 0 }

func (x *indexer) begin(f *rawField, data []byte) error {
	if len(x.stack) >= maxDepth {
		return formatErr(ErrStructure, f.off, f.name(), "nesting deeper than %d", maxDepth)
	}
	var err error
	if x.res == 0 {
		switch f.id {
		case IDBDT:
			err = x.beginDocument(f)
		case IDBNG:
			err = x.beginGroup(f, data)
		case IDBPG:
			err = x.beginPage(f)
		}
	}
	if err != nil {
		return err
	}
	if x.topLevel() && f.id != IDBDT && f.id != IDBPF {
		x.topName = beginName(data)
	}
	x.stack = append(x.stack, openField{id: f.id, start: f.start(), off: f.off})
	if isResource(f.id) {
		x.res++
	}
	return x.formMapField(f.id, data, f.off)
}

// formMapField gives the form map builder the fields it reads.
func (x *indexer) formMapField(id uint32, data []byte, off int64) error {
	switch id {
	case IDBRS, IDERS, IDBFM, IDEFM, IDBMM, IDEMM, IDMCC, IDMMC:
		return x.fmb.field(id, data, off)
	}
	return nil
}

func (x *indexer) end(f *rawField, data []byte) error {
	beginID := f.id&^0xFF00 | 0xA800
	if len(x.stack) == 0 || x.stack[len(x.stack)-1].id != beginID {
		return x.unpaired(f, beginID)
	}
	o := x.stack[len(x.stack)-1]
	x.stack = x.stack[:len(x.stack)-1]
	if isResource(o.id) {
		x.res--
	}
	if x.topLevel() && o.id != IDBDT && o.id != IDBPF {
		x.idx.Resources = append(x.idx.Resources, Resource{Kind: IDName(o.id), Name: x.topName, Span: Span{o.start, f.end() - o.start}})
	}
	if err := x.formMapField(f.id, data, f.off); err != nil {
		return err
	}
	if x.fm == nil && x.fmb.done != nil {
		x.fm, x.idx.FormMapSource = x.fmb.done, "inline"
		clear(x.immCache) // names looked up before there was a form map
	}
	if x.res > 0 {
		return nil
	}
	switch f.id {
	case IDEDT:
		return x.endDocument(f)
	case IDENG:
		return x.endGroup(f)
	case IDEPG:
		return x.endPage(f)
	}
	return nil
}

// unpaired explains an End field that does not close the innermost Begin.
func (x *indexer) unpaired(f *rawField, beginID uint32) error {
	for i := len(x.stack) - 1; i >= 0; i-- {
		if x.stack[i].id == beginID {
			top := x.stack[len(x.stack)-1]
			return formatErr(ErrStructure, f.off, f.name(), "%s begun at offset %d is still open", IDName(top.id), top.off)
		}
	}
	return formatErr(ErrStructure, f.off, f.name(), "%s without %s", f.name(), IDName(beginID))
}

func (x *indexer) single(f *rawField, data []byte) error {
	switch f.id {
	case IDMCC, IDMMC:
		return x.formMapField(f.id, data, f.off)
	}
	if !x.inDocument() {
		return nil
	}
	switch f.id {
	case IDIMM:
		return x.invoke(f, data)
	case IDIPG:
		return x.includePage(f)
	case IDTLE:
		return x.tle(f, data)
	case IDNOP:
		if x.opt.Boundary.Kind == BoundaryNOP {
			return x.nop(f, data)
		}
	}
	return nil
}

func (x *indexer) beginDocument(f *rawField) error {
	if x.doc {
		return formatErr(ErrStructure, f.off, "BDT", "document inside the document begun at offset %d", x.docOff)
	}
	x.doc, x.afterEDT, x.docOff = true, false, f.off
	x.idx.Documents++
	x.active, x.activeID, x.inherit = nil, -1, false // each document starts with the default map
	return nil
}

func (x *indexer) endDocument(f *rawField) error {
	if err := x.closePiece(x.cut); err != nil {
		return err
	}
	x.doc, x.afterEDT, x.edtOff = false, true, f.off
	x.pendingAttrs, x.pendingMaps, x.pendingName, x.split = x.pendingAttrs[:0], x.pendingMaps[:0], textRef{}, false
	return nil
}

// finish checks that everything begun has ended and lays out header and
// trailer.
func (x *indexer) finish(size int64) (*Index, error) {
	if x.segID != 0 {
		return nil, formatErr(ErrTruncated, size, IDName(x.segID), "segmented field begun at offset %d has no last segment", x.segOff)
	}
	if n := len(x.stack); n > 0 {
		o := x.stack[n-1]
		end := IDName(o.id&^0xFF00 | 0xA900)
		return nil, formatErr(ErrTruncated, size, IDName(o.id), "begun at offset %d, missing %s at the end of the input", o.off, end)
	}
	idx := x.idx
	idx.Pieces = touchPages(make([]Piece, x.recs.n))
	x.fillPieces(idx.Pieces, 0, 0)
	idx.Size, idx.FormMap, idx.Framing = size, x.fm, x.frame.framing()
	return idx.layOut(), nil
}

// layOut places header and trailer around the pieces.
func (idx *Index) layOut() *Index {
	size := idx.Size
	if len(idx.Pieces) == 0 {
		idx.Header, idx.Trailer = Span{0, size}, Span{size, 0}
		return idx
	}
	last := idx.Pieces[len(idx.Pieces)-1].End()
	idx.Header, idx.Trailer = Span{0, idx.Pieces[0].Offset}, Span{last, size - last}
	return idx
}
