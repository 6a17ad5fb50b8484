package pdf

// dpartChunk is the length of the inner arrays of an output's /DParts.
const dpartChunk = 1000

// inputRecords are the input's PDF/VT records as outputs carry them.
type inputRecords struct {
	recs  []DPartRecord
	recOf []int32 // input page -> its record's index + 1; 0: none
	names [2]name // the /NodeNameList names of the root and record levels
	named bool    // names were given
}

// readRecords reads the input's document part tree for outputs to carry;
// nil when there is none or it cannot be used.
func (d *Doc) readRecords() *inputRecords {
	recs, err := d.dparts()
	if err != nil || len(recs) == 0 {
		return nil
	}
	in := &inputRecords{recs: recs, recOf: make([]int32, d.pages.count()+1)}
	for i, r := range recs {
		for p := r.FirstPage; p <= r.LastPage; p++ {
			in.recOf[p] = int32(i + 1)
		}
	}
	root, _ := d.resolveDict(d.catalog.get("DPartRoot"))
	list, _ := d.resolved(root.get("NodeNameList")).(array)
	level, ok := root.get("RecordLevel").(int64)
	if ok && level >= 0 && int(level) < len(list) {
		first, ok1 := list[0].(name)
		rec, ok2 := list[level].(name)
		in.names, in.named = [2]name{first, rec}, ok1 && ok2
	}
	return in
}

// dleaf is a record of an output: output pages first to last (0-based)
// from one record of the input.
type dleaf struct {
	num         int32
	rec         int
	first, last int
}

// dpartOut is the document part tree of an output: a root node whose
// kids are the records, one for each run of output pages from one input
// record, with that record's metadata.
type dpartOut struct {
	root, node int32
	leaves     []dleaf
	leafOf     []int32 // output page index -> its record's object; 0: none
}

// layoutDParts numbers the output's records: a run of output pages from
// one input record, in the input's order, is one record; a blank page goes
// with the record before it.
func (w *writer) layoutDParts(in *inputRecords) {
	if in == nil {
		return
	}
	t := &dpartOut{leafOf: make([]int32, len(w.spec.Pages))}
	prev := 0 // the input page before, if in the current record
	for k, p := range w.spec.Pages {
		cur := len(t.leaves) - 1
		switch {
		case p < 0 && prev != 0:
			t.leaves[cur].last = k
		case p > 0 && in.recOf[p] != 0 && prev != 0 && p == prev+1 && int(in.recOf[p]) == t.leaves[cur].rec+1:
			t.leaves[cur].last, prev = k, p
		case p > 0 && in.recOf[p] != 0:
			t.leaves = append(t.leaves, dleaf{rec: int(in.recOf[p]) - 1, first: k, last: k})
			prev = p
		default:
			prev = 0
		}
		if prev != 0 {
			t.leafOf[k] = int32(len(t.leaves)) // numbered below
		}
	}
	if len(t.leaves) == 0 {
		return
	}
	t.root, t.node = w.alloc(), w.alloc()
	for i := range t.leaves {
		t.leaves[i].num = w.alloc()
	}
	for k, l := range t.leafOf {
		if l != 0 {
			t.leafOf[k] = t.leaves[l-1].num
		}
	}
	w.dp = t
}

// putDParts writes the output's document part tree and returns its
// /DPartRoot, or 0 when the output has none.
func (w *writer) putDParts(in *inputRecords) int32 {
	t := w.dp
	if t == nil {
		return 0
	}
	var kids array
	for start := 0; start < len(t.leaves); start += dpartChunk {
		chunk := make(array, 0, min(dpartChunk, len(t.leaves)-start))
		for _, l := range t.leaves[start:min(start+dpartChunk, len(t.leaves))] {
			chunk = append(chunk, outRef(l.num))
		}
		kids = append(kids, chunk)
	}
	root := dict{{"Type", name("DPartRoot")}, {"DPartRootNode", outRef(t.node)}, {"RecordLevel", int64(1)}}
	if in.named {
		root = append(root, pair{"NodeNameList", array{in.names[0], in.names[1]}})
	}
	w.put(t.root, root)
	w.put(t.node, dict{{"Type", name("DPart")}, {"DParts", kids}})
	for _, l := range t.leaves {
		d := dict{{"Type", name("DPart")}, {"Parent", outRef(t.node)}, {"Start", outRef(w.pages[l.first])}}
		if l.last > l.first {
			d = append(d, pair{"End", outRef(w.pages[l.last])})
		}
		if dpm := in.recs[l.rec].dpm; len(dpm) > 0 {
			d = append(d, pair{"DPM", dpm})
		}
		w.put(l.num, d)
	}
	return t.root
}
