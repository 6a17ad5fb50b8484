package pdf

// Bounds on the outline an output carries: levels of nesting and entries.
const (
	maxOutlineDepth = 32
	maxOutlineItems = 1 << 20
)

// outlineNode is an entry of the input's outline, as outputs carry it:
// its title as stored (bytes, not decoded), the page it leads to, the rest
// of its explicit destination (/XYZ left top zoom, /Fit, …), its colour
// and style, and the entries below it.
type outlineNode struct {
	title str
	page  int
	view  array // the destination without its page
	open  bool  // its /Count is positive: shown with its kids
	extra dict  // /C, /F when direct
	kids  []outlineNode
}

// outlineTree reads the whole outline of the document, every level. An
// entry whose destination is not a page of the document is left out, its
// kids taking its place; an outline that loops or cannot be read ends
// where it does.
func (d *Doc) outlineTree() []outlineNode {
	root, err := d.resolveDict(d.catalog.get("Outlines"))
	if err != nil || root == nil {
		return nil
	}
	t := &outlineReader{r: &resolver{d: d}, seen: map[int]bool{}}
	return t.items(root.get("First"), 0)
}

// outlineReader walks an outline, each item once.
type outlineReader struct {
	r     *resolver
	seen  map[int]bool
	count int
}

// items reads a chain of items, from first along /Next.
func (t *outlineReader) items(first object, depth int) []outlineNode {
	var out []outlineNode
	for item := first; item != nil && depth < maxOutlineDepth && t.count < maxOutlineItems; {
		if r, ok := item.(ref); ok {
			if t.seen[r.num] {
				break
			}
			t.seen[r.num] = true
		}
		t.count++
		dict, err := t.r.d.resolveDict(item)
		if err != nil || dict == nil {
			break
		}
		kids := t.items(dict.get("First"), depth+1)
		if n, ok := t.node(dict); ok {
			n.kids = kids
			out = append(out, n)
		} else {
			out = append(out, kids...)
		}
		item = dict.get("Next")
	}
	return out
}

// node reads one item; false when it does not lead to a page.
func (t *outlineReader) node(item dict) (outlineNode, bool) {
	page, dest, err := t.r.itemDest(item)
	if err != nil {
		return outlineNode{}, false
	}
	title, _ := t.r.d.resolve(item.get("Title"))
	n := outlineNode{page: page}
	n.title, _ = title.(str)
	if len(dest) > 1 {
		n.view = dest[1:]
	}
	count, _ := item.get("Count").(int64)
	n.open = count > 0
	for _, key := range []name{"C", "F"} {
		switch v := item.get(key).(type) {
		case array, int64:
			n.extra = append(n.extra, pair{key, v})
		}
	}
	return n, true
}
