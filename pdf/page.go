package pdf

import (
	"fmt"
)

// pageSkip are the entries of an input page that outputs drop: links into
// the input's page tree, document part tree and article threads.
var pageSkip = map[name]bool{"Parent": true, "DPart": true, "B": true}

// letter is the media box of a page that has none, as readers assume.
var letter = array{int64(0), int64(0), int64(612), int64(792)}

// page writes output page k, input page p: its dictionary with the
// inherited attributes copied down, and the hook's content if any.
func (w *writer) page(k, p int) error {
	if p < 0 {
		return w.blankPage(k, p)
	}
	obj := int(w.d.pages.objs[p-1])
	o, err := w.d.loadObject(obj, false)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	in, _ := o.(dict) // the page map holds dictionaries only
	out := make(dict, 0, len(in)+4)
	for _, e := range in {
		if !pageSkip[e.key] {
			out = append(out, e)
		}
	}
	inherited := w.d.pages.inherited(p)
	for i, key := range inheritable {
		if !in.has(key) && inherited[i] != nil {
			out = append(out, pair{key, inherited[i]})
		}
	}
	if out.get("MediaBox") == nil {
		out = out.with("MediaBox", letter)
	}
	if t, _ := out.nameOf("Type"); t != "Page" {
		out = out.with("Type", name("Page"))
	}
	out = append(out, pair{"Parent", outRef(w.nodes[k/treeFanout].num)})
	if w.dp != nil && w.dp.leafOf[k] != 0 {
		out = append(out, pair{"DPart", outRef(w.dp.leafOf[k])})
	}
	if w.spec.Hook != nil {
		if out, err = w.hook(k, p, out); err != nil {
			return err
		}
	}
	w.put(w.pages[k], out)
	return nil
}

// blankPage writes output page k as a blank page (Blank(p)) with the
// boxes of input page -p.
func (w *writer) blankPage(k, p int) error {
	obj := int(w.d.pages.objs[-p-1])
	o, err := w.d.loadObject(obj, false)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	in, _ := o.(dict)
	out := dict{{"Type", name("Page")}, {"Resources", dict{}}}
	inherited := w.d.pages.inherited(-p)
	for i, key := range inheritable {
		if key == "Resources" {
			continue
		}
		if v := in.get(key); v != nil {
			out = append(out, pair{key, v})
		} else if inherited[i] != nil {
			out = append(out, pair{key, inherited[i]})
		}
	}
	if out.get("MediaBox") == nil {
		out = out.with("MediaBox", letter)
	}
	out = append(out, pair{"Parent", outRef(w.nodes[k/treeFanout].num)})
	if w.dp != nil && w.dp.leafOf[k] != 0 {
		out = append(out, pair{"DPart", outRef(w.dp.leafOf[k])})
	}
	if w.spec.Hook != nil {
		if out, err = w.hook(k, p, out); err != nil {
			return err
		}
	}
	w.put(w.pages[k], out)
	return nil
}

// hook adds the hook's content for output page k to the page dictionary:
// the page's own content wrapped in q/Q, then the hook's, with the forms
// added to the page's resources.
func (w *writer) hook(k, p int, page dict) (dict, error) {
	content, err := w.spec.Hook(k, p)
	if err != nil {
		return nil, fmt.Errorf("%w: page hook: %w", ErrOutput, err)
	}
	if len(content) == 0 {
		return page, nil
	}
	own, err := w.contents(page.get("Contents"))
	if err != nil {
		return nil, err
	}
	extra := w.contentObject(content)
	contents := array{outRef(extra)}
	if len(own) > 0 {
		contents = append(append(array{outRef(w.qq[0])}, own...), outRef(w.qq[1]), outRef(extra))
	}
	page = page.with("Contents", contents)
	if len(w.forms) == 0 {
		return page, nil
	}
	res, err := w.resources(page.get("Resources"))
	if err != nil {
		return nil, err
	}
	return page.with("Resources", res), nil
}

// contents returns the content streams of a page's /Contents: a stream or
// an array of them, directly or through a reference.
func (w *writer) contents(c object) (array, error) {
	r, isRef := c.(ref)
	if !isRef {
		a, _ := c.(array)
		return a, nil
	}
	o, err := w.d.loadObject(r.num, false)
	if err != nil {
		return nil, fmt.Errorf("%w: /Contents: %v", ErrDamaged, err)
	}
	if a, ok := o.(array); ok {
		return a, nil
	}
	return array{c}, nil
}

// resources returns a copy of a page's resources with the output's forms
// added to its /XObject dictionary.
func (w *writer) resources(r object) (dict, error) {
	res, err := w.d.resolveDict(r)
	if err != nil {
		return nil, fmt.Errorf("%w: /Resources: %v", ErrDamaged, err)
	}
	xobj, err := w.d.resolveDict(res.get("XObject"))
	if err != nil {
		return nil, fmt.Errorf("%w: /Resources /XObject: %v", ErrDamaged, err)
	}
	merged := append(make(dict, 0, len(xobj)+len(w.forms)), xobj...)
	for i, num := range w.forms {
		n := name(FormName(i))
		if xobj.has(n) {
			return nil, fmt.Errorf("%w: the page has an XObject named /%s already", ErrOutput, n)
		}
		merged = append(merged, pair{n, outRef(num)})
	}
	return res.with("XObject", merged), nil
}
