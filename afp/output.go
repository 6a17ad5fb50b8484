package afp

import (
	"fmt"
	"io"
)

// outBufSize is the buffer pieces are copied through: big enough for few
// system calls, small enough to stay in a core's L2 cache between the
// read that fills it and the write that empties it.
const outBufSize = 256 << 10

// PageHook returns the fields to insert before the EPG of a page of piece
// p, placed at. nil inserts nothing; the Writer's rules apply to each
// field. Pages included with IPG have no EPG and are not offered. The
// fields are only read, and must not change once returned: a hook that
// returns the same fields (the same *Field values) for many pages has
// them encoded once.
type PageHook func(p *Piece, at PagePlace) []*Field

// PagePlace is where a page of a piece prints, as its medium maps place it.
type PagePlace struct {
	Page  int  // 1-based within the piece
	Sheet int  // the 1-based sheet of the piece it falls on
	Back  bool // on the sheet's back (duplex maps)
	// FirstOnSide is set on the first page of its side: every page with
	// 1-up maps, one page in n with n-up.
	FirstOnSide bool
}

// WriteOutput writes a standalone print file holding the pieces of idx
// named by order (sequence numbers, in the order wanted, each at most
// once): the input's header (resource groups, form map, BDT), each piece
// copied from src by offset, and the input's trailer (EDT). A piece that
// inherits its medium map gets an IMM invoking it in front. With a hook,
// pieces are walked field by field to insert its fields; without, they are
// copied as byte ranges.
func WriteOutput(w io.Writer, src io.ReaderAt, idx *Index, order []int, hook PageHook) error {
	if err := checkOrder(idx, order); err != nil {
		return err
	}
	return newOutput(w, src, idx, order, hook).write(order)
}

func newOutput(w io.Writer, src io.ReaderAt, idx *Index, order []int, hook PageHook) *output {
	return &output{src: src, idx: idx, hook: hook, bw: newOutWriter(w, bufSize(idx, order))}
}

// write writes the header, the pieces of order and the trailer. The
// writer's goroutine stops even when a hook panics.
func (o *output) write(order []int) (err error) {
	finished := false
	defer func() {
		if cerr := o.bw.Close(!finished || err != nil); err == nil {
			err = cerr
		}
	}()
	err = o.writeAll(order)
	finished = true
	return err
}

func (o *output) writeAll(order []int) error {
	if err := o.copySpan(o.idx.Header); err != nil {
		return err
	}
	for _, seq := range order {
		if err := o.piece(&o.idx.Pieces[seq-1]); err != nil {
			return fmt.Errorf("afp: piece %d: %w", seq, err)
		}
	}
	return o.trailer()
}

// bufSize is the output buffer for order: outBufSize, or less when the
// whole output is smaller (one piece cut out of a large run at a time
// must not cost a large buffer each).
func bufSize(idx *Index, order []int) int {
	n := idx.Header.Length + idx.Trailer.Length + 4096
	for _, seq := range order {
		if n >= outBufSize {
			return outBufSize
		}
		if seq >= 1 && seq <= len(idx.Pieces) {
			n += idx.Pieces[seq-1].Length + 64
		}
	}
	return int(min(n, outBufSize))
}

// checkOrder checks that order names pieces of idx, each once. Its cost
// follows len(order): an order much shorter than the index (one piece cut
// out of a run) is checked with a set, not with a flag for every piece.
func checkOrder(idx *Index, order []int) error {
	var seen func(seq int) bool // reports whether seq was seen, and marks it
	if len(order) < len(idx.Pieces)/64 {
		set := make(map[int]bool, len(order))
		seen = func(seq int) bool { was := set[seq]; set[seq] = true; return was }
	} else {
		flags := make([]bool, len(idx.Pieces))
		seen = func(seq int) bool { was := flags[seq-1]; flags[seq-1] = true; return was }
	}
	for _, seq := range order {
		switch {
		case seq < 1 || seq > len(idx.Pieces):
			return fmt.Errorf("afp: piece %d not in the index (1–%d): %w", seq, len(idx.Pieces), ErrOrder)
		case seen(seq):
			return fmt.Errorf("afp: piece %d ordered twice: %w", seq, ErrOrder)
		}
	}
	return nil
}

// output is the state of one WriteOutput.
type output struct {
	bw   *outWriter
	src  io.ReaderAt
	idx  *Index
	hook PageHook
	// byField walks every piece field by field (walk), whatever the
	// framing: the reference runs is tested against.
	byField bool
	sc      *scanner
	span    spanReader
	lead    []byte // scratch for the framing of added fields
	tail    []byte
	pad     []byte
	// added keeps the encodings of the fields hooks added (encodeAdded).
	added   map[*Field]addedEnc
	scratch []byte
	imms    map[string]*Field // immOf's
	blocks  blockReader       // the runs of pieces copied by runs
}

// spanReader reads a span of src; unlike io.SectionReader it can be
// reused, sparing an allocation per piece.
type spanReader struct {
	src      io.ReaderAt
	off, end int64
}

func (r *spanReader) Read(p []byte) (int, error) {
	if r.off >= r.end {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.end-r.off)]
	n, err := r.src.ReadAt(p, r.off) // io.EOF before the end: copySpan counts short
	r.off += int64(n)
	return n, err
}

func (o *output) copySpan(s Span) error {
	o.span = spanReader{src: o.src, off: s.Offset, end: s.End()}
	n, err := o.bw.ReadFrom(&o.span)
	if err != nil {
		return fmt.Errorf("afp: copy bytes %d–%d: %w", s.Offset, s.End(), err)
	}
	if n != s.Length {
		return formatErr(ErrTruncated, s.Offset+n, "", "input ends inside bytes %d–%d of the index", s.Offset, s.End())
	}
	return nil
}

func (o *output) piece(p *Piece) error {
	var imm *Field
	if p.StartMap() != "" {
		imm = o.immOf(p.StartMap())
	}
	if o.hook == nil && (imm == nil || o.idx.Framing.None()) && o.idx.Framing.Record == 0 {
		if imm != nil {
			b, err := appendField(o.scratch[:0], imm)
			if err != nil {
				return err
			}
			o.scratch = b
			o.bw.Write(b)
		}
		return o.copySpan(p.Span)
	}
	if o.idx.Framing.None() && !o.byField {
		return o.runs(p, imm)
	}
	return o.walk(p, imm)
}

// immOf is the IMM invoking the named medium map, one Field for each map
// so that its encoding is kept (encodeAdded).
func (o *output) immOf(name string) *Field {
	f, ok := o.imms[name]
	if !ok {
		f = &Field{ID: IDIMM, Data: o.token(name)}
		if o.imms == nil {
			o.imms = map[string]*Field{}
		}
		o.imms[name] = f
	}
	return f
}

// token is the 8-byte name of a medium map, as the form map or an IMM
// wrote it.
func (o *output) token(name string) []byte {
	if fm := o.idx.FormMap; fm != nil {
		if m := fm.Map(name); m != nil && m.token != [8]byte{} {
			return m.token[:]
		}
	}
	if t, ok := o.idx.tokens[name]; ok {
		return t[:]
	}
	b, _ := EncodeText(name, DefaultCodePage)
	for len(b) < 8 {
		b = append(b, 0x40)
	}
	return b[:8]
}

// walk copies a piece field by field, inserting imm, if not nil, before
// its first field and the hook's fields before each EPG.
func (o *output) walk(p *Piece, imm *Field) error {
	pw := pageWalk{o: o, p: p, imm: imm}
	pw.perSheet, pw.perSide = o.layout(p.StartMap())
	return o.fields(p.Span, pw.field)
}

// fields calls each for every field of the span, in order.
func (o *output) fields(s Span, each func(*rawField) error) error {
	r := io.NewSectionReader(o.src, s.Offset, s.Length)
	if o.sc == nil {
		o.sc = newScanner(r, 0)
	}
	o.sc.reset(r, s.Offset)
	var f rawField
	for {
		err := o.sc.next(&f)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := each(&f); err != nil {
			return err
		}
	}
}

// layout is the pages per sheet and per side of the named medium map; 1
// and 1 if unknown.
func (o *output) layout(name string) (perSheet, perSide int) {
	if o.idx.FormMap == nil {
		return 1, 1
	}
	m := o.idx.FormMap.Map(name)
	if name == "" {
		m = o.idx.FormMap.Default()
	}
	if m == nil {
		return 1, 1
	}
	return m.PagesPerSheet(), max(m.NUp, 1)
}

// pageWalk numbers the pages and sheets of a piece as its fields go by.
type pageWalk struct {
	o           *output
	p           *Piece
	imm         *Field // to insert before the next field
	perSheet    int
	perSide     int
	sheets      sheetCounter
	res         int
	inPage      bool
	page, sheet int
	pos         int // the page's position on its sheet, 0-based
}

func (w *pageWalk) field(f *rawField) error {
	return w.o.insertBefore(f, w.step(f.id, f.data))
}

// step takes the next field of the piece, with its identifier and data,
// and returns the fields to add before it.
func (w *pageWalk) step(id uint32, data []byte) []*Field {
	var added []*Field
	if w.imm != nil {
		added, w.imm = []*Field{w.imm}, nil
	}
	switch {
	case isResource(id):
		w.res++
	case IsEnd(id) && isResource(id&^0xFF00|0xA800):
		w.res--
	case w.res > 0:
	case id == IDIMM && !w.inPage:
		w.perSheet, w.perSide = w.o.layout(beginName(data))
		w.sheets.newSheet()
	case id == IDIPG && !w.inPage:
		w.page++
		w.sheets.page(w.perSheet)
	case id == IDBPG && !w.inPage:
		w.inPage = true
		w.page++
		w.pos = w.sheets.onSheet
		w.sheet = w.sheets.page(w.perSheet)
	case id == IDEPG && w.inPage:
		w.inPage = false
		at := PagePlace{Page: w.page, Sheet: w.sheet, Back: w.pos >= w.perSide, FirstOnSide: w.pos%w.perSide == 0}
		if w.o.hook != nil {
			added = w.o.hook(w.p, at)
		}
	}
	return added
}
