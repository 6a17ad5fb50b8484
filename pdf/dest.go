package pdf

import (
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// maxDestHops bounds how often a destination may lead to another one
// (a named destination whose value is a dictionary whose /D is a name ...).
const maxDestHops = 8

// resolver finds the pages that bookmarks lead to.
type resolver struct {
	x     *model.XRefTable
	pages pageMap
	names map[string]types.Object // the /Names /Dests name tree, flattened on first use
}

// itemPage returns the page a bookmark leads to, through /Dest or a GoTo
// action in /A.
func (r *resolver) itemPage(item types.Dict) (int, error) {
	if dest, ok := item["Dest"]; ok {
		return r.destPage(dest, 0)
	}
	action, err := r.x.DereferenceDict(item["A"])
	if err != nil {
		return 0, fmt.Errorf("%w: its action: %v", ErrOutline, err)
	}
	if action == nil {
		return 0, fmt.Errorf("%w: it has no destination", ErrOutline)
	}
	if s := action.NameEntry("S"); s == nil || *s != "GoTo" {
		return 0, fmt.Errorf("%w: its action is not a GoTo within the document", ErrOutline)
	}
	return r.destPage(action["D"], 0)
}

// destPage returns the page of a destination: an array, a dictionary with
// /D, or a name or string naming one.
func (r *resolver) destPage(dest types.Object, hops int) (int, error) {
	if hops > maxDestHops {
		return 0, fmt.Errorf("%w: its destination refers to other destinations too deeply", ErrOutline)
	}
	o, err := r.x.Dereference(dest)
	if err != nil {
		return 0, fmt.Errorf("%w: its destination: %v", ErrOutline, err)
	}
	switch v := o.(type) {
	case types.Array:
		return r.arrayPage(v)
	case types.Dict:
		return r.destPage(v["D"], hops+1)
	case types.Name:
		next, err := r.named(v.Value(), true)
		if err != nil {
			return 0, err
		}
		return r.destPage(next, hops+1)
	case types.StringLiteral, types.HexLiteral:
		key, err := stringBytes(v)
		if err != nil {
			return 0, fmt.Errorf("%w: its destination name: %v", ErrOutline, err)
		}
		next, err := r.named(key, false)
		if err != nil {
			return 0, err
		}
		return r.destPage(next, hops+1)
	case nil:
		return 0, fmt.Errorf("%w: it has no destination", ErrOutline)
	}
	return 0, fmt.Errorf("%w: its destination is a %T", ErrOutline, o)
}

// arrayPage returns the page of an explicit destination [page /Fit ...].
// The page is a reference to a page dictionary; a 0-based page index, which
// some producers write, is accepted too.
func (r *resolver) arrayPage(a types.Array) (int, error) {
	if len(a) == 0 {
		return 0, fmt.Errorf("%w: its destination is empty", ErrOutline)
	}
	switch p := a[0].(type) {
	case types.IndirectRef:
		if n, ok := r.pages.page(p.ObjectNumber.Value()); ok {
			return n, nil
		}
		return 0, fmt.Errorf("%w: it points at object %d, which is not a page", ErrOutline, p.ObjectNumber.Value())
	case types.Integer:
		if n := p.Value() + 1; n >= 1 && n <= r.pages.count() {
			return n, nil
		}
		return 0, fmt.Errorf("%w: it points at page index %d of %d pages", ErrOutline, p.Value(), r.pages.count())
	}
	return 0, fmt.Errorf("%w: its destination starts with a %T, not a page", ErrOutline, a[0])
}

// named looks a destination name up in the catalog's /Dests dictionary and
// in its /Names /Dests name tree; isName says which to try first (names of
// PDF 1.1 live in /Dests, strings of PDF 1.2 in the name tree).
func (r *resolver) named(key string, isName bool) (types.Object, error) {
	lookups := []func(string) (types.Object, error){r.inDests, r.inNameTree}
	if !isName {
		lookups[0], lookups[1] = lookups[1], lookups[0]
	}
	for _, lookup := range lookups {
		o, err := lookup(key)
		if err != nil || o != nil {
			return o, err
		}
	}
	return nil, fmt.Errorf("%w: named destination %q is not defined", ErrOutline, key)
}

func (r *resolver) inDests(key string) (types.Object, error) {
	dests, err := r.x.DereferenceDict(r.x.RootDict["Dests"])
	if err != nil {
		return nil, fmt.Errorf("%w: the catalog's /Dests: %v", ErrDamaged, err)
	}
	return dests[key], nil // a nil map reads as empty
}

func (r *resolver) inNameTree(key string) (types.Object, error) {
	if r.names == nil {
		names, err := flattenDests(r.x)
		if err != nil {
			return nil, err
		}
		r.names = names
	}
	return r.names[key], nil
}
