package pdf

import (
	"bufio"
	"crypto/md5"
	"fmt"
	"io"
	"os"
	"strconv"
)

// treeFanout is the number of kids per node of an output's page tree.
const treeFanout = 32

// writer writes one output: the pages of its spec, and every object they
// reach, each once, renumbered. Pages reach objects through references;
// a reference to a page that is not in the output, to a node of the input's
// page tree or to a missing object is written as null.
type writer struct {
	d      *Doc
	spec   *OutputSpec
	labels []labelRange
	tree   []outlineNode // the input's outline
	recs   *inputRecords // the input's PDF/VT records
	dp     *dpartOut     // the output's
	w      *bufio.Writer
	ser    serializer
	buf    []byte

	off     int64
	offsets []int64 // new object number -> offset; [0] unused
	renum   []int32 // old object number -> new; 0: not (yet) in the output
	queue   []int   // old objects numbered but not yet written

	root  int32   // root of the new page tree; the catalog is 1
	nodes []tnode // the new page tree
	pages []int32 // new object number of each output page
	forms []int32
	// shared are the hook's content streams written so far, by the
	// SHA-256 of their content.
	shared map[[32]byte]int32
	flate  flater
	qq     [2]int32 // streams "q" and "Q" that wrap a page's own content
	enc    *encrypter
	err    error // the first failure to read the input while writing
	// out is the output file, if it is one, for copies from the input
	// file by the kernel; noCopyRange turns those off.
	out         *os.File
	noCopyRange bool
}

// tnode is a node of the new page tree.
type tnode struct {
	num    int32
	parent int32
	kids   []int32
	count  int
}

func newWriter(d *Doc, spec *OutputSpec, in *carried, w io.Writer) *writer {
	wr := &writer{d: d, spec: spec, labels: in.labels, tree: in.outline, recs: in.records, w: bufio.NewWriterSize(w, 1<<20),
		renum: make([]int32, len(d.xref)), offsets: make([]int64, 1)}
	wr.out, _ = w.(*os.File)
	wr.ser.mapRef = wr.mapRef
	wr.layout()
	wr.layoutDParts(in.records)
	if r, ok := d.trailer.get("Root").(ref); ok && r.num > 0 && r.num < len(wr.renum) {
		wr.renum[r.num] = 1 // references to the catalog go to the new one
	}
	for k, p := range spec.Pages {
		if p < 0 {
			continue // a blank page
		}
		if old := int(d.pages.objs[p-1]); wr.renum[old] == 0 {
			wr.renum[old] = wr.pages[k] // references to a page go to its first copy
		}
	}
	return wr
}

// alloc returns a new object number.
func (w *writer) alloc() int32 {
	w.offsets = append(w.offsets, 0)
	return int32(len(w.offsets) - 1)
}

// layout numbers the catalog (1), the page tree nodes, the pages, the
// forms and the wrapping streams.
func (w *writer) layout() {
	w.alloc() // the catalog
	n := len(w.spec.Pages)
	levels := []int{}
	for count := n; ; {
		count = (count + treeFanout - 1) / treeFanout
		levels = append(levels, count)
		if count == 1 {
			break
		}
	}
	kids := make([]int32, n)
	first := int32(len(w.offsets))
	for _, c := range levels {
		first += int32(c)
	}
	for k := range kids {
		kids[k] = first + int32(k)
	}
	counts := make([]int, n)
	for k := range counts {
		counts[k] = 1
	}
	for range levels {
		kids, counts = w.treeLevel(kids, counts)
	}
	w.root = kids[0]
	for range n {
		w.pages = append(w.pages, w.alloc())
	}
	for range w.spec.Forms {
		w.forms = append(w.forms, w.alloc())
	}
	if w.spec.Hook != nil {
		w.qq = [2]int32{w.alloc(), w.alloc()}
	}
}

// treeLevel adds the nodes of one level of the page tree above the given
// kids, and returns those nodes and the pages below each.
func (w *writer) treeLevel(kids []int32, counts []int) ([]int32, []int) {
	var up []int32
	var upCounts []int
	for start := 0; start < len(kids); start += treeFanout {
		end := min(start+treeFanout, len(kids))
		node := tnode{num: w.alloc(), kids: kids[start:end]}
		for _, c := range counts[start:end] {
			node.count += c
		}
		for _, kid := range node.kids {
			if i := int(kid) - 2; i < len(w.nodes) { // a node, numbered from 2 on
				w.nodes[i].parent = node.num
			}
		}
		w.nodes = append(w.nodes, node)
		up = append(up, node.num)
		upCounts = append(upCounts, node.count)
	}
	return up, upCounts
}

// mapRef gives an input object its number in the output, queueing it to be
// written the first time; 0 means write null.
func (w *writer) mapRef(r ref) int32 {
	if r.num <= 0 || r.num >= len(w.renum) {
		return 0
	}
	if n := w.renum[r.num]; n != 0 {
		return n
	}
	if w.d.pages.role[r.num] != 0 {
		return 0 // a page not in the output, or a node of the old page tree
	}
	if k := entryKind(w.d.xref[r.num]); k != inFile && k != inStream {
		return 0
	}
	n := w.alloc()
	w.renum[r.num] = n
	w.queue = append(w.queue, r.num)
	return n
}

// put writes object num: a direct object, or a stream with its data as it
// is (its /Length written anew).
func (w *writer) put(num int32, o object) {
	w.offsets[num] = w.off
	b := strconv.AppendInt(w.buf[:0], int64(num), 10)
	b = append(b, " 0 obj\n"...)
	s, isStream := o.(*stream)
	if !isStream {
		b = w.ser.append(b, o)
		b = append(b, "\nendobj\n"...)
		w.write(b)
		return
	}
	if w.d.mapped != nil && s.pos > 0 && len(s.data) >= copyAbove {
		// A large stream of a mapped file is copied from the file,
		// through a fixed buffer: its pages are not brought into this
		// process's memory.
		n := int64(len(s.data))
		if w.enc != nil {
			n = encryptedLen(n)
		}
		b = w.ser.appendDict(b, s.dict.with("Length", n), "")
		b = append(b, "\nstream\n"...)
		w.write(b)
		if w.enc != nil {
			w.encryptFromFile(s.pos, int64(len(s.data)))
		} else {
			w.copyFromFile(s.pos, int64(len(s.data)))
		}
		w.write([]byte("\nendstream\nendobj\n"))
		return
	}
	data := s.data
	if s.pos > 0 {
		w.d.touched(s.pos, s.pos+int64(len(data)))
	}
	if w.enc != nil {
		data = w.enc.encrypt(data)
	}
	b = w.ser.appendDict(b, s.dict.with("Length", int64(len(data))), "")
	b = append(b, "\nstream\n"...)
	w.write(b)
	w.write(data)
	w.write([]byte("\nendstream\nendobj\n"))
}

func (w *writer) write(b []byte) {
	n, _ := w.w.Write(b) // the error sticks in the bufio.Writer
	w.off += int64(n)
	w.buf = b[:0]
}

// drain writes the queued input objects, and those they reach.
func (w *writer) drain() error {
	for len(w.queue) > 0 {
		old := w.queue[0]
		w.queue = w.queue[1:]
		o, err := w.d.loadObject(old, true)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		w.put(w.renum[old], o)
	}
	return w.err
}

// run writes the whole output.
func (w *writer) run() error {
	if w.spec.Protect != nil {
		enc, err := newEncrypter(w.spec.Protect)
		if err != nil {
			return fmt.Errorf("encrypting: %w", err)
		}
		w.enc, w.ser.crypt = enc, enc.encrypt
	}
	w.write([]byte("%PDF-" + w.d.version + "\n%\xe2\xe3\xcf\xd3\n"))
	for k, p := range w.spec.Pages {
		if err := w.page(k, p); err != nil {
			return fmt.Errorf("page %d (input page %d): %w", k+1, p, err)
		}
		if err := w.drain(); err != nil {
			return fmt.Errorf("page %d (input page %d): %w", k+1, p, err)
		}
	}
	for i, f := range w.spec.Forms {
		w.put(w.forms[i], w.formStream(f))
	}
	if w.spec.Hook != nil {
		w.put(w.qq[0], &stream{data: []byte("q\n")})
		w.put(w.qq[1], &stream{data: []byte("\nQ\n")})
	}
	for _, n := range w.nodes {
		w.put(n.num, w.nodeDict(n))
	}
	outlines := w.outline(w.tree)
	parts := w.putDParts(w.recs)
	catalog := w.catalogDict(outlines, parts)
	if w.spec.PDFA {
		for _, e := range w.putPDFA() {
			catalog = catalog.with(e.key, e.val)
		}
	}
	w.put(1, catalog)
	var infoNum int32
	if w.spec.Info != nil {
		infoNum = w.alloc()
		w.put(infoNum, infoDict(w.spec.Info))
	} else {
		info := w.d.trailer.get("Info")
		infoRef, _ := info.(ref)
		infoNum = w.mapRef(infoRef)
	}
	if err := w.drain(); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	var encNum int32
	if w.enc != nil {
		encNum = w.alloc()
		w.ser.crypt = nil // the encryption dictionary is not encrypted
		w.put(encNum, w.enc.dict)
	}
	w.finish(infoNum, encNum)
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

func (w *writer) nodeDict(n tnode) dict {
	kids := make(array, len(n.kids))
	for i, k := range n.kids {
		kids[i] = outRef(k)
	}
	d := dict{{"Type", name("Pages")}, {"Kids", kids}, {"Count", int64(n.count)}}
	if n.parent != 0 {
		d = append(d, pair{"Parent", outRef(n.parent)})
	}
	return d
}

// catalogKeys are the entries of the input's catalog that outputs keep: they
// concern every page alike.
var catalogKeys = []name{"OutputIntents", "Lang", "ViewerPreferences", "OCProperties", "MarkInfo"}

func (w *writer) catalogDict(outlines, parts int32) dict {
	d := dict{{"Type", name("Catalog")}, {"Pages", outRef(w.root)}}
	if outlines != 0 {
		d = append(d, pair{"Outlines", outRef(outlines)})
	}
	if parts != 0 {
		d = append(d, pair{"DPartRoot", outRef(parts)})
	}
	for _, key := range catalogKeys {
		if v := w.d.catalog.get(key); v != nil {
			d = append(d, pair{key, v})
		}
	}
	if len(w.labels) > 0 {
		d = append(d, pair{"PageLabels", dict{{"Nums", outputLabels(w.labels, w.spec.Pages)}}})
	}
	return d
}

// finish writes the xref table and the trailer.
func (w *writer) finish(info, encrypt int32) {
	for num, off := range w.offsets[1:] {
		if off == 0 {
			panic(fmt.Sprintf("pdf: output object %d was never written", num+1)) // a bug of this package
		}
	}
	xref := w.off
	b := fmt.Appendf(w.buf[:0], "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets))
	for _, off := range w.offsets[1:] {
		b = appendPadded(b, off)
		b = append(b, " 00000 n \n"...)
		if len(b) > 64<<10 {
			w.write(b)
			b = w.buf[:0]
		}
	}
	id := md5.Sum(fmt.Appendf(nil, "%s|%d|%s|%d|%v", w.d.path, len(w.d.data), w.spec.Path, len(w.spec.Pages), w.spec.Pages[:min(len(w.spec.Pages), 64)]))
	b = fmt.Appendf(b, "trailer\n<< /Size %d /Root 1 0 R", len(w.offsets))
	if info != 0 {
		b = fmt.Appendf(b, " /Info %d 0 R", info)
	}
	if encrypt != 0 {
		b = fmt.Appendf(b, " /Encrypt %d 0 R", encrypt)
	}
	b = fmt.Appendf(b, " /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n", id, id, xref)
	w.write(b)
}

// appendPadded writes a 10-digit offset.
func appendPadded(b []byte, v int64) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], v, 10)
	for i := len(s); i < 10; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
