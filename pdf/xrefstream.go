package pdf

import "fmt"

// readXrefStream reads the xref stream object at off into x.
func (d *Doc) readXrefStream(off int64, x *xrefBuilder) (dict, error) {
	o, err := d.parseAt(off, -1, true)
	if err != nil {
		return nil, fmt.Errorf("%w: no table or stream at offset %d (%v)", errXref, off, err)
	}
	s, ok := o.(*stream)
	if !ok {
		return nil, fmt.Errorf("%w: the object at offset %d is not a stream", errXref, off)
	}
	if t, _ := s.dict.nameOf("Type"); t != "XRef" {
		return nil, fmt.Errorf("%w: the object at offset %d is not an xref stream", errXref, off)
	}
	w, err := xrefWidths(s.dict)
	if err != nil {
		return nil, err
	}
	index, err := xrefIndex(s.dict)
	if err != nil {
		return nil, err
	}
	data, err := decode(s)
	if err != nil {
		return nil, fmt.Errorf("%w: xref stream at offset %d: %v", errXref, off, err)
	}
	width := w[0] + w[1] + w[2]
	for i := 0; i+1 < len(index); i += 2 {
		for num := index[i]; num < index[i]+index[i+1] && len(data) >= width; num++ {
			e := xrefStreamEntry(d.base, data[:width], w)
			data = data[width:]
			if e == 0 {
				continue
			}
			if err := x.set(num, e); err != nil {
				return nil, err
			}
		}
	}
	return s.dict, nil
}

// xrefWidths reads /W: three field widths of at most 8 bytes each.
func xrefWidths(d dict) ([3]int, error) {
	var w [3]int
	a, ok := d.get("W").(array)
	if !ok || len(a) != 3 {
		return w, fmt.Errorf("%w: xref stream without /W of three widths", errXref)
	}
	for i, o := range a {
		v, ok := o.(int64)
		if !ok || v < 0 || v > 8 || i == 1 && v == 0 {
			return w, fmt.Errorf("%w: xref stream /W %v", errXref, a)
		}
		w[i] = int(v)
	}
	return w, nil
}

// xrefIndex reads /Index, pairs of first object number and count, which
// defaults to [0 /Size].
func xrefIndex(d dict) ([]int, error) {
	a, ok := d.get("Index").(array)
	if !ok {
		size, ok := d.get("Size").(int64)
		if !ok || size < 0 {
			return nil, fmt.Errorf("%w: xref stream without /Size", errXref)
		}
		a = array{int64(0), size}
	}
	var index []int
	for _, o := range a {
		v, ok := o.(int64)
		if !ok || v < 0 || v > maxObjects {
			return nil, fmt.Errorf("%w: xref stream /Index %v", errXref, a)
		}
		index = append(index, int(v))
	}
	return index, nil
}

// xrefStreamEntry decodes one entry of an xref stream; 0 means none.
func xrefStreamEntry(base int64, b []byte, w [3]int) uint64 {
	field := func(b []byte) uint64 {
		var v uint64
		for _, c := range b {
			v = v<<8 | uint64(c)
		}
		return v
	}
	typ := uint64(1)
	if w[0] > 0 {
		typ = field(b[:w[0]])
	}
	f2 := field(b[w[0] : w[0]+w[1]])
	f3 := field(b[w[0]+w[1]:])
	switch {
	case typ == 0:
		return free << kindShift
	case typ == 1 && f2 < 1<<48:
		return fileEntry(base + int64(f2))
	case typ == 2 && f2 < maxObjects && f3 < 1<<idxBits:
		return streamEntry(int(f2), int(f3))
	}
	return 0 // an unknown type names no object
}
