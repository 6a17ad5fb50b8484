package pdf

import (
	"errors"
	"fmt"
)

// inheritable are the page attributes a page may inherit from the nodes of
// the page tree above it.
var inheritable = [...]name{"Resources", "MediaBox", "CropBox", "Rotate"}

// attrs holds the values of the inheritable attributes at one node of the
// page tree: its own, or else those of the nearest ancestor that has them.
type attrs [len(inheritable)]object

// pageMap numbers the pages of a document: the page tree is walked once, in
// document order, and each page dictionary's object number is given its
// 1-based page number.
type pageMap struct {
	objs  []int32 // objs[n-1]: object number of page n
	attrs []int32 // attrs[n-1]: index in nodes of what page n inherits
	nodes []attrs
	// role[obj]: page number (> 0) of page object obj, nodeRole for an
	// intermediate node of the page tree, 0 for other objects.
	role []int32
}

const nodeRole = -1

func (m pageMap) count() int { return len(m.objs) }

// page returns the number of the page whose dictionary is object obj.
func (m pageMap) page(obj int) (int, bool) {
	if obj < 0 || obj >= len(m.role) || m.role[obj] <= 0 {
		return 0, false
	}
	return int(m.role[obj]), true
}

// inherited returns what page n inherits.
func (m pageMap) inherited(n int) attrs { return m.nodes[m.attrs[n-1]] }

// treeItem is a node of the page tree waiting to be visited.
type treeItem struct {
	obj    int
	parent int32 // index in nodes of the parent's attributes
}

// newPageMap walks the page tree of d. Every node and page must be an
// indirect object that appears once; the tree may be of any depth and
// width. If the root has a /Count, it must be the number of pages.
func newPageMap(d *Doc) (pageMap, error) {
	root, ok := d.catalog.get("Pages").(ref)
	if !ok {
		return pageMap{}, fmt.Errorf("%w: the catalog has no page tree", ErrDamaged)
	}
	m := pageMap{role: make([]int32, len(d.xref)), nodes: []attrs{{}}}
	stack := []treeItem{{root.num, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.obj < 0 || it.obj >= len(m.role) {
			return pageMap{}, fmt.Errorf("%w: page tree: object %d: it is missing", ErrDamaged, it.obj)
		}
		if m.role[it.obj] != 0 {
			return pageMap{}, fmt.Errorf("%w: page tree: object %d appears twice", ErrDamaged, it.obj)
		}
		node, kids, isPage, err := pageNode(d, it.obj)
		if err != nil {
			return pageMap{}, fmt.Errorf("%w: page tree: object %d: %v", ErrDamaged, it.obj, err)
		}
		if isPage {
			m.objs = append(m.objs, int32(it.obj))
			m.attrs = append(m.attrs, it.parent)
			m.role[it.obj] = int32(len(m.objs))
			continue
		}
		m.role[it.obj] = nodeRole
		here := m.addNode(it.parent, node)
		for i := len(kids) - 1; i >= 0; i-- { // the first kid on top
			kid, ok := kids[i].(ref)
			if !ok {
				return pageMap{}, fmt.Errorf("%w: page tree: object %d: kid %d is not a reference", ErrDamaged, it.obj, i+1)
			}
			stack = append(stack, treeItem{kid.num, here})
		}
	}
	return m, m.check(d, root.num)
}

// addNode records the attributes of a node whose parent's are at index
// parent, and returns their index; a node without attributes of its own
// shares its parent's.
func (m *pageMap) addNode(parent int32, node dict) int32 {
	a, own := m.nodes[parent], false
	for i, key := range inheritable {
		if v := node.get(key); v != nil {
			a[i], own = v, true
		}
	}
	if !own {
		return parent
	}
	m.nodes = append(m.nodes, a)
	return int32(len(m.nodes) - 1)
}

// check checks the page count against the root's /Count.
func (m pageMap) check(d *Doc, root int) error {
	if m.count() == 0 {
		return fmt.Errorf("%w: the document has no pages", ErrDamaged)
	}
	node, err := d.resolveDict(ref{root, 0})
	if err != nil {
		return fmt.Errorf("%w: page tree: %v", ErrDamaged, err)
	}
	if n, ok := node.get("Count").(int64); ok && n != int64(m.count()) {
		return fmt.Errorf("%w: the page tree says it holds %d pages but holds %d", ErrDamaged, n, m.count())
	}
	return nil
}

// pageNode reads a node of the page tree: a page, or an intermediate node
// and its kids.
func pageNode(d *Doc, obj int) (node dict, kids array, isPage bool, err error) {
	o, err := d.loadObject(obj, false)
	if errors.Is(err, errMissing) {
		return nil, nil, false, errors.New("it is missing")
	}
	if err != nil {
		return nil, nil, false, err
	}
	node, ok := o.(dict)
	if !ok {
		return nil, nil, false, fmt.Errorf("%s, not a dictionary", describe(o))
	}
	kidsObj := node.get("Kids")
	switch t, typed := node.nameOf("Type"); {
	case t == "Page", !typed && kidsObj == nil:
		return node, nil, true, nil
	case typed && t != "Pages":
		return nil, nil, false, fmt.Errorf("type %s, not a page or page tree node", t)
	case kidsObj == nil:
		return nil, nil, false, fmt.Errorf("page tree node without /Kids")
	}
	kids, err = d.resolveArray(kidsObj)
	if err != nil {
		return nil, nil, false, fmt.Errorf("/Kids: %v", err)
	}
	return node, kids, false, nil
}
