package pdf

import (
	"fmt"
)

// maxDestHops bounds how often a destination may lead to another one
// (a named destination whose value is a dictionary whose /D is a name ...).
const maxDestHops = 8

// resolver finds the pages that bookmarks lead to.
type resolver struct {
	d     *Doc
	dests map[name]object   // the catalog's /Dests, on first use
	names map[string]object // the /Names /Dests name tree, flattened on first use
}

// itemPage returns the page a bookmark leads to, through /Dest or a GoTo
// action in /A.
func (r *resolver) itemPage(item dict) (int, error) {
	page, _, err := r.itemDest(item)
	return page, err
}

// itemDest returns the page a bookmark leads to and its explicit
// destination ([page /XYZ ...]).
func (r *resolver) itemDest(item dict) (int, array, error) {
	if item.has("Dest") {
		return r.destPage(item.get("Dest"), 0)
	}
	action, err := r.d.resolveDict(item.get("A"))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: its action: %v", ErrOutline, err)
	}
	if action == nil {
		return 0, nil, fmt.Errorf("%w: it has no destination", ErrOutline)
	}
	if s, _ := action.nameOf("S"); s != "GoTo" {
		return 0, nil, fmt.Errorf("%w: its action is not a GoTo within the document", ErrOutline)
	}
	return r.destPage(action.get("D"), 0)
}

// destPage returns the page of a destination, an array, a dictionary
// with /D, or a name or string naming one, and the explicit destination
// it comes to.
func (r *resolver) destPage(dest object, hops int) (int, array, error) {
	if hops > maxDestHops {
		return 0, nil, fmt.Errorf("%w: its destination refers to other destinations too deeply", ErrOutline)
	}
	o, err := r.d.resolve(dest)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: its destination: %v", ErrOutline, err)
	}
	switch v := o.(type) {
	case array:
		page, err := r.arrayPage(v)
		return page, v, err
	case dict:
		return r.destPage(v.get("D"), hops+1)
	case name:
		next, err := r.named(string(v), true)
		if err != nil {
			return 0, nil, err
		}
		return r.destPage(next, hops+1)
	case str:
		next, err := r.named(string(v), false)
		if err != nil {
			return 0, nil, err
		}
		return r.destPage(next, hops+1)
	case nil:
		return 0, nil, fmt.Errorf("%w: it has no destination", ErrOutline)
	}
	return 0, nil, fmt.Errorf("%w: its destination is %s", ErrOutline, describe(o))
}

// arrayPage returns the page of an explicit destination [page /Fit ...].
// The page is a reference to a page dictionary; a 0-based page index, which
// some producers write, is accepted too.
func (r *resolver) arrayPage(a array) (int, error) {
	if len(a) == 0 {
		return 0, fmt.Errorf("%w: its destination is empty", ErrOutline)
	}
	pages := r.d.pages
	switch p := a[0].(type) {
	case ref:
		if n, ok := pages.page(p.num); ok {
			return n, nil
		}
		return 0, fmt.Errorf("%w: it points at object %d, which is not a page", ErrOutline, p.num)
	case int64:
		if p >= 0 && p < int64(pages.count()) {
			return int(p) + 1, nil
		}
		return 0, fmt.Errorf("%w: it points at page index %d of %d pages", ErrOutline, p, pages.count())
	}
	return 0, fmt.Errorf("%w: its destination starts with %s, not a page", ErrOutline, describe(a[0]))
}

// named looks a destination name up in the catalog's /Dests dictionary and
// in its /Names /Dests name tree; isName says which to try first (names of
// PDF 1.1 live in /Dests, strings of PDF 1.2 in the name tree).
func (r *resolver) named(key string, isName bool) (object, error) {
	lookups := []func(string) (object, error){r.inDests, r.inNameTree}
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

func (r *resolver) inDests(key string) (object, error) {
	if r.dests == nil {
		dests, err := r.d.resolveDict(r.d.catalog.get("Dests"))
		if err != nil {
			return nil, fmt.Errorf("%w: the catalog's /Dests: %v", ErrDamaged, err)
		}
		r.dests = make(map[name]object, len(dests))
		for _, p := range dests {
			r.dests[p.key] = p.val
		}
	}
	return r.dests[name(key)], nil
}

func (r *resolver) inNameTree(key string) (object, error) {
	if r.names == nil {
		names, err := flattenDests(r.d)
		if err != nil {
			return nil, err
		}
		r.names = names
	}
	return r.names[key], nil
}
