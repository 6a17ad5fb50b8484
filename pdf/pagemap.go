package pdf

import (
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pageMap numbers the pages of a document: the page tree is walked once, in
// document order, and each page dictionary's object number is given its
// 1-based page number.
type pageMap struct {
	objs   []int       // objs[n-1]: object number of page n
	number map[int]int // object number -> page number
}

func (m pageMap) count() int { return len(m.objs) }

// page returns the number of the page whose dictionary is object obj.
func (m pageMap) page(obj int) (int, bool) {
	n, ok := m.number[obj]
	return n, ok
}

// newPageMap walks the page tree of ctx. The tree must hold as many pages
// as its root's /Count says (the number pdfcpu works with), and no node may
// appear twice.
func newPageMap(ctx *model.Context) (pageMap, error) {
	x := ctx.XRefTable
	root, ok := x.RootDict["Pages"].(types.IndirectRef)
	if !ok {
		return pageMap{}, fmt.Errorf("%w: the catalog has no page tree", ErrDamaged)
	}
	m := pageMap{number: map[int]int{}}
	seen := map[int]bool{}
	stack := []types.IndirectRef{root}
	for len(stack) > 0 {
		ref := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		obj := ref.ObjectNumber.Value()
		if seen[obj] {
			return pageMap{}, fmt.Errorf("%w: page tree: object %d appears twice", ErrDamaged, obj)
		}
		seen[obj] = true
		kids, isPage, err := pageNode(x, ref)
		if err != nil {
			return pageMap{}, fmt.Errorf("%w: page tree: object %d: %v", ErrDamaged, obj, err)
		}
		if isPage {
			m.objs = append(m.objs, obj)
			m.number[obj] = len(m.objs)
			continue
		}
		for i := len(kids) - 1; i >= 0; i-- { // the first kid on top
			kid, ok := kids[i].(types.IndirectRef)
			if !ok {
				return pageMap{}, fmt.Errorf("%w: page tree: object %d: kid %d is not a reference", ErrDamaged, obj, i+1)
			}
			stack = append(stack, kid)
		}
	}
	if m.count() == 0 {
		return pageMap{}, fmt.Errorf("%w: the document has no pages", ErrDamaged)
	}
	if m.count() != ctx.PageCount {
		return pageMap{}, fmt.Errorf("%w: the page tree says it holds %d pages but holds %d",
			ErrDamaged, ctx.PageCount, m.count())
	}
	return m, nil
}

// pageNode reads a node of the page tree: a page, or an intermediate node
// and its kids.
func pageNode(x *model.XRefTable, ref types.IndirectRef) (kids types.Array, isPage bool, err error) {
	d, err := x.DereferenceDict(ref)
	if err != nil {
		return nil, false, err
	}
	if d == nil {
		return nil, false, fmt.Errorf("missing")
	}
	kidsObj, hasKids := d.Find("Kids")
	switch t := d.Type(); {
	case t != nil && *t == "Page", t == nil && !hasKids:
		return nil, true, nil
	case t != nil && *t != "Pages":
		return nil, false, fmt.Errorf("type %s, not a page or page tree node", *t)
	case !hasKids:
		return nil, false, fmt.Errorf("page tree node without /Kids")
	}
	kids, err = x.DereferenceArray(kidsObj)
	if err != nil {
		return nil, false, fmt.Errorf("/Kids: %v", err)
	}
	return kids, false, nil
}
