package pdf

import (
	"fmt"
	"strconv"
	"strings"
)

// Bounds on a document part tree: levels of nodes, and levels of nested
// dictionaries in a node's metadata.
const (
	maxDPartDepth = 64
	maxDPMDepth   = 8
)

// DPartRecord is a record of a PDF/VT document part tree: the pages of one
// recipient (a mail piece) and the metadata of its document part.
type DPartRecord struct {
	FirstPage int // 1-based
	LastPage  int
	// Meta holds the /DPM entries of the record's node and of its
	// ancestors (the record's own win). Nested dictionaries give dotted
	// keys ("CIP4_Root.CIP4_Recipient.Zip"); strings are decoded as text,
	// names, numbers and booleans written as in PDF (without the slash),
	// arrays of them joined with commas.
	Meta map[string]string
	// dpm is the record's /DPM as stored, its ancestors' entries merged in
	// (its own win), for outputs to carry.
	dpm dict
}

// DParts reads the PDF/VT document part tree (ISO 16612-2): the catalog's
// /DPartRoot, its /DPartRootNode and the nodes below it through /DParts.
// Records are the nodes at the root's /RecordLevel (the root is level 0),
// or the leaves if it has none; a record's pages run from the /Start of its
// first leaf to the /End (or /Start) of its last. Records come in page
// order and do not overlap. A document without a document part tree has
// no records.
//
// A tree whose leaves point at pages that do not exist, or out of order,
// is an error wrapping ErrDPart; a tree that loops or cannot be read, one
// wrapping ErrDamaged.
func (d *Doc) DParts() (records []DPartRecord, err error) {
	defer guard(&err, d.path+": document part tree")
	defer d.reading()()
	records, err = d.dparts()
	if err != nil {
		return nil, fmt.Errorf("%s: document part tree: %w", d.path, err)
	}
	return records, nil
}

// dpartItem is a node of the document part tree waiting to be visited.
type dpartItem struct {
	node  object
	depth int
	meta  map[string]string // inherited metadata, down to the record level
	raw   dict              // the same, as stored
}

func (d *Doc) dparts() ([]DPartRecord, error) {
	root, err := d.resolveDict(d.catalog.get("DPartRoot"))
	if err != nil {
		return nil, fmt.Errorf("%w: /DPartRoot: %v", ErrDamaged, err)
	}
	if root == nil {
		return nil, nil
	}
	level := -1 // the leaves
	if v, ok := root.get("RecordLevel").(int64); ok {
		if v < 0 || v > maxDPartDepth {
			return nil, fmt.Errorf("%w: /RecordLevel %d", ErrDPart, v)
		}
		level = int(v)
	}
	w := dpartWalk{d: d, level: level, seen: map[int]bool{}}
	if err := w.walk(root.get("DPartRootNode")); err != nil {
		return nil, err
	}
	return w.records, w.check()
}

// dpartWalk walks a document part tree, depth first, in document order.
type dpartWalk struct {
	d       *Doc
	level   int
	seen    map[int]bool
	records []DPartRecord
}

func (w *dpartWalk) walk(rootNode object) error {
	if rootNode == nil {
		return fmt.Errorf("%w: /DPartRoot has no /DPartRootNode", ErrDPart)
	}
	stack := []dpartItem{{node: rootNode, meta: map[string]string{}}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		kids, err := w.visit(it)
		if err != nil {
			return err
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
	return nil
}

// visit handles one node and returns its kids.
func (w *dpartWalk) visit(it dpartItem) ([]dpartItem, error) {
	where := fmt.Sprintf("node at level %d", it.depth)
	if r, ok := it.node.(ref); ok {
		where = fmt.Sprintf("node %d (level %d)", r.num, it.depth)
		if w.seen[r.num] {
			return nil, fmt.Errorf("%w: %s appears twice: the tree loops", ErrDamaged, where)
		}
		w.seen[r.num] = true
	}
	if it.depth > maxDPartDepth {
		return nil, fmt.Errorf("%w: %s: more than %d levels", ErrDPart, where, maxDPartDepth)
	}
	node, err := w.d.resolveDict(it.node)
	if err != nil || node == nil {
		return nil, fmt.Errorf("%w: %s is not a dictionary (%v)", ErrDamaged, where, err)
	}
	leaf := node.has("Start")
	meta, raw := it.meta, it.raw
	if w.level < 0 || it.depth <= w.level {
		meta = w.d.dpm(node.get("DPM"), it.meta)
		raw = w.d.mergeDPM(it.raw, node.get("DPM"), 0)
	}
	if it.depth == w.level || w.level < 0 && leaf {
		w.records = append(w.records, DPartRecord{Meta: meta, dpm: raw})
	}
	if leaf {
		return nil, w.leaf(node, it.depth, where)
	}
	return w.kids(node, it.depth, meta, raw, where)
}

// kids returns the nodes of a node's /DParts, an array of arrays.
func (w *dpartWalk) kids(node dict, depth int, meta map[string]string, raw dict, where string) ([]dpartItem, error) {
	outer, err := w.d.resolveArray(node.get("DParts"))
	if err != nil || len(outer) == 0 {
		return nil, fmt.Errorf("%w: %s has neither /Start nor /DParts (%v)", ErrDPart, where, err)
	}
	var kids []dpartItem
	for _, o := range outer {
		inner, err := w.d.resolveArray(o)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: /DParts: %v", ErrDPart, where, err)
		}
		for _, kid := range inner {
			kids = append(kids, dpartItem{node: kid, depth: depth + 1, meta: meta, raw: raw})
		}
	}
	return kids, nil
}

// leaf adds the pages of a leaf to the current record.
func (w *dpartWalk) leaf(node dict, depth int, where string) error {
	if depth < w.level || len(w.records) == 0 {
		return fmt.Errorf("%w: %s has pages but is above the record level %d", ErrDPart, where, w.level)
	}
	first, err := w.page(node, "Start", where)
	if err != nil {
		return err
	}
	last := first
	if node.has("End") {
		if last, err = w.page(node, "End", where); err != nil {
			return err
		}
	}
	if last < first {
		return fmt.Errorf("%w: %s ends at page %d, before its start at page %d", ErrDPart, where, last, first)
	}
	rec := &w.records[len(w.records)-1]
	if rec.FirstPage != 0 && first <= rec.LastPage {
		return fmt.Errorf("%w: %s starts at page %d, not after page %d of the record's part before it",
			ErrDPart, where, first, rec.LastPage)
	}
	if rec.FirstPage == 0 {
		rec.FirstPage = first
	}
	rec.LastPage = last
	return nil
}

// page returns the page that entry key of a leaf points at.
func (w *dpartWalk) page(node dict, key name, where string) (int, error) {
	r, ok := node.get(key).(ref)
	if !ok {
		return 0, fmt.Errorf("%w: %s: /%s is %s, not a reference to a page", ErrDPart, where, key, describe(node.get(key)))
	}
	n, ok := w.d.pages.page(r.num)
	if !ok {
		return 0, fmt.Errorf("%w: %s: /%s points at object %d, which is not a page of the document", ErrDPart, where, key, r.num)
	}
	return n, nil
}

// check checks that every record has pages and that records follow each
// other through the document.
func (w *dpartWalk) check() error {
	for i, r := range w.records {
		if r.FirstPage == 0 {
			return fmt.Errorf("%w: record %d has no pages", ErrDPart, i+1)
		}
		if i > 0 && r.FirstPage <= w.records[i-1].LastPage {
			return fmt.Errorf("%w: record %d starts at page %d, not after page %d where record %d ends",
				ErrDPart, i+1, r.FirstPage, w.records[i-1].LastPage, i)
		}
	}
	return nil
}

// dpm returns the metadata of a node: inherited, overridden by its /DPM.
func (d *Doc) dpm(o object, inherited map[string]string) map[string]string {
	if o == nil {
		return inherited
	}
	meta := make(map[string]string, len(inherited)+4)
	for k, v := range inherited {
		meta[k] = v
	}
	d.flattenDPM("", o, meta, 0)
	return meta
}

// mergeDPM returns inherited with the entries of the /DPM o merged in:
// o's entries win, dictionaries under the same key are merged likewise.
func (d *Doc) mergeDPM(inherited dict, o object, depth int) dict {
	own, err := d.resolveDict(o)
	if err != nil || own == nil || depth > maxDPMDepth {
		return inherited
	}
	out := append(make(dict, 0, len(inherited)+len(own)), inherited...)
	for _, p := range own {
		val := p.val
		if sub, ok := d.resolved(val).(dict); ok {
			if prev, ok := d.resolved(out.get(p.key)).(dict); ok {
				val = d.mergeDPM(prev, sub, depth+1)
			}
		}
		out = out.with(p.key, val)
	}
	return out
}

// resolved is o with a reference followed; nil if it cannot be.
func (d *Doc) resolved(o object) object {
	v, err := d.resolve(o)
	if err != nil {
		return nil
	}
	return v
}

// flattenDPM adds the entries of a /DPM dictionary to meta.
func (d *Doc) flattenDPM(prefix string, o object, meta map[string]string, depth int) {
	dpm, err := d.resolveDict(o)
	if err != nil || depth > maxDPMDepth {
		return
	}
	for _, p := range dpm {
		key := prefix + string(p.key)
		v, err := d.resolve(p.val)
		if err != nil {
			continue
		}
		switch v := v.(type) {
		case dict:
			d.flattenDPM(key+".", v, meta, depth+1)
		case array:
			var parts []string
			for _, e := range v {
				if s, ok := scalarText(e); ok {
					parts = append(parts, s)
				}
			}
			meta[key] = strings.Join(parts, ",")
		default:
			if s, ok := scalarText(v); ok {
				meta[key] = s
			}
		}
	}
}

// scalarText writes a string, name, number or boolean as text.
func scalarText(o object) (string, bool) {
	switch v := o.(type) {
	case str:
		return textString(v), true
	case name:
		return string(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case real:
		return string(v), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}
