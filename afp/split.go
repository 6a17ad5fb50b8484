package afp

import (
	"io"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// An index on every core. The file is cut into parts at the end of a page
// group (syncpoint.go); each part is indexed on its own, by an indexer
// that assumes what the state between two page groups always is: inside
// the document, no page, group or resource open, the header behind, the
// form map of the header, the next piece beginning where the part begins.
// The one thing it cannot assume, the medium map in effect, it leaves
// open until the part invokes one; if it needs it before, it takes the
// default and says so.
//
// Then, front to back, each part is checked against the state the parts
// before it really ended in. A part whose assumptions hold is kept as it
// is; one whose assumptions do not hold is indexed again by the indexer
// before it, carrying on through its bytes. The pieces of every kept
// part are numbered on, and the result is the index one pass would have
// built. Any error, and anything where the parts could differ from one
// pass (name tables past their limits), indexes the file again in one
// pass, so that errors are exactly those of BuildIndex.

const (
	minPart   = 4 << 20  // smallest part of a file indexed on several cores
	maxHeader = 64 << 20 // longest header read before the parts are cut
)

// BuildIndexAt indexes the first size bytes of r, a print file, as
// BuildIndex does, on every core (GOMAXPROCS): the result is the same.
// Files of a few MB and boundaries other than page groups take one pass.
func BuildIndexAt(r io.ReaderAt, size int64, opt IndexOptions) (*Index, error) {
	procs := runtime.GOMAXPROCS(0)
	parts := int(min(int64(4*procs), size/minPart))
	if procs < 2 || parts < 2 || opt.Boundary.Kind != BoundaryPageGroups {
		return BuildIndex(io.NewSectionReader(r, 0, size), opt)
	}
	cuts := make([]int64, parts-1)
	for i := range cuts {
		cuts[i] = int64(i+1) * size / int64(parts)
	}
	idx, _, err := buildSplit(r, size, opt, splitPlan{cuts: cuts, workers: procs})
	return idx, err
}

// splitPlan says where to cut a file and how many parts to index at once.
type splitPlan struct {
	cuts    []int64 // offsets to look for part boundaries from
	exact   bool    // the cuts are the boundaries themselves (tests)
	workers int
}

// splitStats says how a split index went, for tests.
type splitStats struct {
	parts int // parts indexed
	kept  int // parts after the first kept as indexed on their own
	whole bool
}

// assumed is what every part but the first takes for granted at its start.
type assumed struct {
	stack []uint32 // identifiers of the open structures: BPF, BDT
	fm    *FormMap // the form map known when the header ends
}

// part is a byte range of the file and the indexer that went through it.
type part struct {
	start, end int64
	x          *indexer
	fields     int
	err        error
}

func buildSplit(r io.ReaderAt, size int64, opt IndexOptions, plan splitPlan) (*Index, splitStats, error) {
	whole := func() (*Index, splitStats, error) {
		idx, err := BuildIndex(io.NewSectionReader(r, 0, size), opt)
		return idx, splitStats{parts: 1, whole: true}, err
	}
	if _, err := newIndexer(opt); err != nil || opt.Boundary.Kind != BoundaryPageGroups {
		return whole()
	}
	as, ok := readHeader(r, size, opt)
	if !ok {
		return whole()
	}
	bounds := partBounds(r, size, plan)
	if len(bounds) == 0 {
		return whole()
	}
	parts := make([]*part, len(bounds)+1)
	for i := range parts {
		p := &part{end: size}
		if i > 0 {
			p.start = bounds[i-1]
		}
		if i < len(bounds) {
			p.end = bounds[i]
		}
		parts[i] = p
	}
	indexParts(r, opt, as, parts, plan.workers)
	groups, kept, ok := joinParts(r, as, parts)
	if !ok {
		return whole()
	}
	idx, ok := assemble(groups, size, opt, plan.workers)
	if !ok {
		return whole()
	}
	return idx, splitStats{parts: len(parts), kept: kept}, nil
}

// readHeader indexes the file up to its first piece and returns what the
// parts assume; false when that is not the state between page groups.
func readHeader(r io.ReaderAt, size int64, opt IndexOptions) (assumed, bool) {
	x, _ := newIndexer(opt)
	s := newScanner(io.NewSectionReader(r, 0, min(size, maxHeader)), scanBuf)
	var f rawField
	for !x.header {
		if err := s.next(&f); err != nil {
			return assumed{}, false
		}
		if err := x.field(&f); err != nil {
			return assumed{}, false
		}
	}
	stack := x.stack
	if n := len(stack); IsBegin(f.id) && n > 0 && stack[n-1].id == f.id {
		stack = stack[:n-1] // the BNG or BPG that ended the header
	}
	as := assumed{fm: x.fm}
	for _, o := range stack {
		if o.id != IDBPF && o.id != IDBDT {
			return assumed{}, false
		}
		as.stack = append(as.stack, o.id)
	}
	return as, x.doc && x.res == 0
}

// partBounds finds the offsets where parts begin after the first.
func partBounds(r io.ReaderAt, size int64, plan splitPlan) []int64 {
	var bounds []int64
	for _, c := range plan.cuts {
		if !plan.exact {
			c = findSync(r, c, size)
		}
		if c <= 0 || c >= size || len(bounds) > 0 && c <= bounds[len(bounds)-1] {
			continue
		}
		bounds = append(bounds, c)
	}
	return bounds
}

// newPart returns an indexer for a part that begins at off, between two
// page groups.
func newPart(opt IndexOptions, as assumed, off int64) *indexer {
	x, _ := newIndexer(opt) // the options were checked
	for _, id := range as.stack {
		x.stack = append(x.stack, openField{id: id, start: -1, off: -1}) // offsets only show in errors
	}
	x.fm, x.doc, x.header, x.cut, x.inherit = as.fm, true, true, off, true
	x.frame.seen = detectFields // the first part reads the framing
	return x
}

// indexParts indexes every part, workers at a time.
func indexParts(r io.ReaderAt, opt IndexOptions, as assumed, parts []*part, workers int) {
	onWorkers(len(parts), workers, func() func(int) {
		s := newScanner(nil, scanBuf)
		return func(i int) {
			p := parts[i]
			if i == 0 {
				p.x, _ = newIndexer(opt)
			} else {
				p.x = newPart(opt, as, p.start)
			}
			p.fields, p.err = p.x.run(p.scan(s, r))
		}
	})
}

// onWorkers calls a function for each i in [0, n) on workers goroutines,
// each taking the next i in turn; perWorker makes each goroutine's
// function (with what it keeps for itself).
func onWorkers(n, workers int, perWorker func() func(i int)) {
	var next atomic.Int32
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := perWorker()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				do(i)
			}
		}()
	}
	wg.Wait()
}

// scan resets s to read the part's bytes of r.
func (p *part) scan(s *scanner, r io.ReaderAt) *scanner {
	s.reset(io.NewSectionReader(r, p.start, p.end-p.start), p.start)
	return s
}

// joinParts checks each part against the state the parts before it ended
// in: it keeps those that hold and has the indexer before carry on
// through the others. It returns the parts kept; false on an error.
func joinParts(r io.ReaderAt, as assumed, parts []*part) (groups []*part, kept int, ok bool) {
	g := parts[0]
	if g.err != nil {
		return nil, 0, false
	}
	groups = []*part{g}
	var s *scanner
	for _, p := range parts[1:] {
		if p.err == nil && g.x.handsOver(as, p.start, g.x.activeID < 0 || !p.x.usedInherit) && p.x.inheritFrom(g.x) {
			g = p
			groups = append(groups, g)
			kept++
			continue
		}
		if s == nil {
			s = newScanner(nil, scanBuf)
		}
		n, err := g.x.run(p.scan(s, r))
		if err != nil {
			return nil, 0, false
		}
		g.fields += n
		g.end = p.end
	}
	return groups, kept, true
}

// inheritFrom gives a part that invoked no medium map the one in effect
// before it, x's, for what follows it; false when its table of names is
// full.
func (y *indexer) inheritFrom(x *indexer) bool {
	if !y.inherit {
		return true
	}
	y.inherit, y.active, y.activeID = false, x.active, -1
	if x.activeID >= 0 {
		id, ok := nameID(&y.mapNames, y.mapIndex, x.mapNames[x.activeID])
		if !ok {
			return false
		}
		y.activeID = id
	}
	return true
}

// handsOver reports whether x, at offset off, is in the state a part
// assumed there; mapOK says whether the medium map in effect agrees with
// what the part took for it.
func (x *indexer) handsOver(as assumed, off int64, mapOK bool) bool {
	if x.res != 0 || x.segID != 0 || !x.doc || x.afterEDT || x.group || x.page || !x.header || x.cur != nil ||
		len(x.pendingAttrs) > 0 || len(x.pendingMaps) > 0 || !x.pendingName.empty() || x.split ||
		x.frame.seen < detectFields || x.fmb.fm != nil || x.fmb.resource != "" {
		return false
	}
	if x.cut != off || len(x.stack) != len(as.stack) {
		return false
	}
	for i, id := range as.stack {
		if x.stack[i].id != id {
			return false
		}
	}
	return sameFormMap(as.fm, x.fm) && mapOK
}

// sameFormMap reports whether a and b hold the same medium maps; each
// indexer reads its own copy of an inline form map.
func sameFormMap(a, b *FormMap) bool {
	return a == b || a != nil && b != nil && a.Name == b.Name && slices.Equal(a.Maps, b.Maps)
}

// assemble puts the parts' indexes together into one; false when one pass
// could have come out differently (see limitsHold).
func assemble(groups []*part, size int64, opt IndexOptions, workers int) (*Index, bool) {
	last := groups[len(groups)-1].x
	fields := 0
	for _, g := range groups {
		fields += g.fields
	}
	if fields == 0 || last.segID != 0 || len(last.stack) > 0 || !limitsHold(groups) {
		return nil, false
	}
	idx := &Index{Size: size, tokens: map[string][8]byte{}, FormMap: last.fm, Framing: groups[0].x.frame.framing()}
	switch {
	case opt.FormMap != nil:
		idx.FormMapSource = "external"
	case idx.FormMap != nil:
		idx.FormMapSource = "inline"
	}
	seqs, pages := make([]int, len(groups)), make([]int, len(groups))
	n := 0
	for i, g := range groups {
		gi := g.x.idx
		seqs[i], pages[i], n = n, idx.Pages, n+g.x.recs.n
		idx.Resources = append(idx.Resources, gi.Resources...)
		idx.Documents += gi.Documents
		idx.PageGroups += gi.PageGroups
		idx.Pages += gi.Pages
		idx.Sheets += gi.Sheets
		for name, t := range gi.tokens {
			if _, ok := idx.tokens[name]; !ok {
				idx.tokens[name] = t
			}
		}
	}
	idx.Pieces = touchPages(make([]Piece, n))
	onWorkers(len(groups), workers, func() func(int) {
		return func(i int) {
			g := groups[i].x
			g.fillPieces(idx.Pieces[seqs[i]:seqs[i]+g.recs.n], seqs[i], pages[i])
		}
	})
	return idx.layOut(), true
}

// limitsHold reports whether the parts' names and text together stay
// within the limits one indexer has (maxNames names of each kind, 4 GiB of
// text): then one pass would not have failed where the parts did not.
func limitsHold(groups []*part) bool {
	attrs, maps, lists := map[string]bool{}, map[string]bool{}, map[string]bool{}
	text := 0
	for _, g := range groups {
		x := g.x
		text += len(x.text)
		for _, n := range x.attrNames {
			attrs[n] = true
		}
		for _, n := range x.mapNames {
			maps[n] = true
		}
		for _, l := range x.lists {
			key := ""
			for _, n := range l {
				key += n + "\x00"
			}
			lists[key] = true
		}
	}
	pages := 0
	for _, g := range groups {
		pages += g.x.idx.Pages
	}
	return pages <= maxPages && len(attrs) <= maxNames && len(maps) <= maxNames && len(lists) <= maxNames && text+4*maxJoined <= math.MaxUint32
}
