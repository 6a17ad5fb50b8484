package postage

import (
	"fmt"
	"slices"
)

// cand is an envelope that a stream may presort; the fields the levels
// need are copied here so that they run over one compact array.
type cand struct {
	skey   uint64
	weight Weight
	ei     int32
	prod   int16
	plen   uint8
	rider  bool // overflow from a finer level: priced, not yet placed
	placed bool
}

// presort assigns presort levels and containers, stream by stream.
func (pl *planner) presort() {
	rules := pl.prof.Presort
	streamOf := make([]int, len(pl.prof.Products))
	for i := range streamOf {
		streamOf[i] = -1
	}
	for si, st := range rules.Streams {
		for _, name := range st.Products {
			streamOf[pl.prof.products[name]] = si
		}
	}
	stream := func(e *envelope) int {
		if e.exc != excNone || e.product < 0 || e.plen == 0 {
			return -1
		}
		return streamOf[e.product]
	}
	counts, total := make([]int, len(rules.Streams)), 0
	for ei := range pl.envs {
		if si := stream(&pl.envs[ei]); si >= 0 {
			counts[si]++
			total++
		}
	}
	pl.placed = make([]int32, 0, total)
	for si := range rules.Streams {
		cands := make([]cand, 0, counts[si])
		for ei := range pl.envs {
			if e := &pl.envs[ei]; stream(e) == si {
				cands = append(cands, cand{skey: e.skey, weight: e.weight, ei: int32(ei), prod: e.product, plen: e.plen})
			}
		}
		pl.presortStream(si, cands)
	}
	pl.candKeys, pl.candBuf = nil, nil
}

// postal is the normalised postal code of e's first piece.
func (pl *planner) postal(e *envelope) string { return e.postal }

// presortStream sorts one stream's envelopes by postal code and runs its
// levels, finest first; what no level takes stays single-piece.
func (pl *planner) presortStream(si int, cands []cand) {
	st := &pl.prof.Presort.Streams[si]
	if len(cands) == 0 {
		return
	}
	if len(cands) < st.Minimum {
		pl.note("%s: %d envelopes, below the minimum of %d; all single-piece", st.Name, len(cands), st.Minimum)
		return
	}
	pl.sortCands(cands, func(c cand) uint64 { return c.skey }) // ties stay in creation order
	for li := range st.Levels {
		pl.presortLevel(si, li, cands)
		cands = slices.DeleteFunc(cands, func(c cand) bool { return c.placed })
	}
	riders := 0
	for _, c := range cands {
		if c.rider {
			pl.toSingle(&pl.envs[c.ei])
			riders++
		}
	}
	if riders > 0 {
		pl.note("%s: %d overflow envelopes found no container at a coarser level; single-piece", st.Name, riders)
	}
	if n := len(cands) - riders; n > 0 {
		pl.note("%s: %d envelopes did not qualify for any presort level; single-piece", st.Name, n)
	}
}

// sortCands sorts cands by key, stably.
func (pl *planner) sortCands(cands []cand, key func(cand) uint64) {
	if cap(pl.candKeys) < len(cands) {
		pl.candKeys, pl.candBuf = make([]keyed, len(cands)), make([]cand, len(cands))
	}
	ks, sorted := pl.candKeys[:len(cands)], pl.candBuf[:len(cands)]
	for i, c := range cands {
		ks[i] = keyed{key(c), int32(i)}
	}
	pl.scratch = sortKeyed(ks, pl.scratch)
	for i, k := range ks {
		sorted[i] = cands[k.val]
	}
	copy(cands, sorted)
}

// group is a run of candidates with the same group key at a level.
type group struct {
	key        uint64
	start, end int // cands[start:end], in postal order
	count      int // envelopes the level can take: priceable, or riders
}

// presortLevel places the qualifying groups of cands (in postal order) at
// level li in containers. AADC groups are not runs of the postal order, so
// for them cands is sorted by AADC for the level and back afterwards.
func (pl *planner) presortLevel(si, li int, cands []cand) {
	st := &pl.prof.Presort.Streams[si]
	lv := &st.Levels[li]
	keys := pl.groupKeys(lv)
	origin, ok := pl.originKey(lv, keys)
	if !ok {
		pl.note("%s: level %s needs presort.origin; skipped", st.Name, lv.Name)
		return
	}
	if keys.aadc {
		pl.sortCands(cands, keys.of)
		defer pl.sortCands(cands, func(c cand) uint64 { return c.skey })
	}
	groups := pl.groups(lv, keys, cands)
	qualified, total := groups[:0], 0
	for _, g := range groups {
		if g.count >= max(lv.MinPerGroup, 1) && (!lv.OriginOnly || g.key == origin) {
			qualified = append(qualified, g)
			total += g.count
		}
	}
	if total > 0 && total < lv.MinPerLevel {
		pl.note("%s: %d envelopes qualify for %s, below its minimum of %d; none presorted there", st.Name, total, lv.Name, lv.MinPerLevel)
		return
	}
	for _, g := range qualified {
		pl.fill(si, li, keys, cands[g.start:g.end])
	}
}

// groups splits cands into runs of the same group key, leaving out
// envelopes the level cannot group.
func (pl *planner) groups(lv *Level, keys *levelKeys, cands []cand) []group {
	var out []group
	for i := 0; i < len(cands); {
		k, ok := keys.key(cands[i])
		j := i + 1
		for j < len(cands) {
			if k2, ok2 := keys.key(cands[j]); ok2 != ok || k2 != k {
				break
			}
			j++
		}
		if ok {
			g := group{key: k, start: i, end: j}
			for _, c := range cands[i:j] {
				if pl.priceable(lv, c) {
					g.count++
				}
			}
			if g.count > 0 {
				out = append(out, g)
			}
		}
		i = j
	}
	return out
}

// priceable reports whether the level can take c: it rides in overflow
// from a finer level, or the level has a price for it.
func (pl *planner) priceable(lv *Level, c cand) bool {
	if c.rider {
		return true
	}
	_, _, ok := pl.levelPrice(lv, c.prod, c.weight)
	return ok
}

// levelPrice is the price of an envelope of product prod and weight w at
// the level, whether it is confirmed, and false if the level has none.
func (pl *planner) levelPrice(lv *Level, prod int16, w Weight) (Money, bool, bool) {
	r := lv.rates[prod]
	if r == nil {
		return 0, false, false
	}
	return r.price(&pl.prof.Products[prod], w+pl.margin)
}

// fill puts the envelopes of a qualifying group that the level can take
// into containers of the stream's capacity. A remainder too small for a
// container of its own overflows to the next level (keeping this level's
// price if the level allows overflow).
func (pl *planner) fill(si, li int, keys *levelKeys, g []cand) {
	st := &pl.prof.Presort.Streams[si]
	lv := &st.Levels[li]
	pl.take = pl.take[:0]
	for i := range g {
		if pl.priceable(lv, g[i]) {
			pl.take = append(pl.take, int32(i))
		}
	}
	label := pl.groupLabel(lv, keys, g[pl.take[0]])
	capacity := st.Container.Capacity
	for start := 0; start < len(pl.take); {
		size := len(pl.take) - start
		if capacity > 0 && size > capacity {
			size = capacity
		}
		part := pl.take[start : start+size]
		start += size
		if start > size && size < lv.MinPerGroup {
			if lv.Overflow {
				for _, i := range part {
					pl.ride(si, li, &g[i])
				}
			}
			continue
		}
		kind := st.Container.Kind
		if size != capacity && st.Container.RemainderKind != "" {
			kind = st.Container.RemainderKind
		}
		ci := pl.newContainer(st, lv, label, kind)
		for _, i := range part {
			pl.place(si, li, &g[i], ci)
		}
	}
}

// place puts c in container ci at level li; a rider keeps the level and
// price it has.
func (pl *planner) place(si, li int, c *cand, ci int32) {
	c.placed = true
	pl.placed = append(pl.placed, c.ei)
	e := &pl.envs[c.ei]
	e.cont = ci
	if !c.rider {
		pl.setLevel(si, li, e)
	}
}

// ride makes c an overflow rider at level li: priced there, placed later.
func (pl *planner) ride(si, li int, c *cand) {
	if c.rider {
		return
	}
	c.rider = true
	e := &pl.envs[c.ei]
	pl.setLevel(si, li, e)
	e.overflow = true
}

// setLevel prices e at level li.
func (pl *planner) setLevel(si, li int, e *envelope) {
	lv := &pl.prof.Presort.Streams[si].Levels[li]
	m, confirmed, _ := pl.levelPrice(lv, e.product, e.weight)
	e.stream, e.level, e.price, e.unconf = int16(si), int16(li), m, !confirmed
}

// toSingle returns a rider that found no container to single-piece.
func (pl *planner) toSingle(e *envelope) {
	m, confirmed, _ := price(pl.prof.Products[e.product].Steps, e.weight+pl.margin)
	e.stream, e.level, e.cont, e.overflow, e.price, e.unconf = -1, -1, -1, false, m, !confirmed
}

// newContainer adds a container and returns its index.
func (pl *planner) newContainer(st *Stream, lv *Level, group, kind string) int32 {
	origin := pl.origin()
	pl.conts = append(pl.conts, Container{
		ID: len(pl.conts) + 1, Stream: st.Name, Level: lv.Name, Group: group, Kind: kind,
		Label: expand(lv.Label, group, origin, st.Name), Content: expand(lv.Content, group, origin, st.Name),
	})
	return int32(len(pl.conts) - 1)
}

// origin is the configured origin, normalised like a postal code.
func (pl *planner) origin() string {
	o, _ := pl.prof.PostalCode.normalise(pl.cfg.Presort.Origin)
	return o
}

// aadc looks a 3-digit ZIP prefix up in the labelling list, then in the
// profile's sample.
func (pl *planner) aadc(prefix string) (string, bool) {
	if l, ok := pl.cfg.Presort.aadc[prefix]; ok {
		return l, true
	}
	l, ok := pl.prof.Presort.AADC[prefix]
	return l, ok
}

// note records a remark for the report.
func (pl *planner) note(format string, args ...any) {
	pl.notes = append(pl.notes, fmt.Sprintf(format, args...))
}
