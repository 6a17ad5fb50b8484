package postage

import (
	"sort"
	"strings"
)

// order puts the envelopes in print order: the presorted containers in
// turn, each in postal order; then the single-piece envelopes, in postal
// order when presorting; then those with exceptions. Envelopes that tie keep
// the order they were made in (a household's envelopes stay together),
// unless Config.SortKeys break the tie. It then numbers the envelopes and
// totals the containers.
func (pl *planner) order() {
	perm := make([]int32, 0, len(pl.envs))
	perm = append(perm, pl.placed...) // container by container, in postal order
	var singles []keyed
	var excs []int32
	for i := range pl.envs {
		e := &pl.envs[i]
		switch {
		case e.exc != excNone:
			excs = append(excs, int32(i))
		case e.cont < 0:
			singles = append(singles, keyed{e.skey, int32(i)})
		}
	}
	if pl.cfg.Presort.Enabled {
		pl.scratch = sortKeyed(singles, pl.scratch)
	}
	presorted := len(perm)
	for _, s := range singles {
		perm = append(perm, s.val)
	}
	perm = append(perm, excs...)
	if len(pl.cfg.SortKeys) > 0 {
		sk := pl.sortKeyValues()
		pl.applySortKeys(sk, perm[:presorted])
		pl.applySortKeys(sk, perm[presorted:presorted+len(singles)])
		pl.applySortKeys(sk, perm[presorted+len(singles):])
	}
	pl.permute(perm)
	pl.number()
}

// applySortKeys sorts each run of envelopes in the same container with the
// same postal key (when presorting) by the sort keys, stably.
func (pl *planner) applySortKeys(sk sortKeys, perm []int32) {
	same := func(a, b int32) bool {
		ea, eb := &pl.envs[a], &pl.envs[b]
		return ea.cont == eb.cont && (!pl.cfg.Presort.Enabled || ea.skey == eb.skey)
	}
	for i := 0; i < len(perm); {
		j := i + 1
		for j < len(perm) && same(perm[i], perm[j]) {
			j++
		}
		run := perm[i:j]
		sort.SliceStable(run, func(a, b int) bool { return sk.compare(run[a], run[b]) < 0 })
		i = j
	}
}

// permute puts the envelopes, and their pieces, in the order perm. The
// envelopes are moved in place, cycle by cycle; perm is used up.
func (pl *planner) permute(perm []int32) {
	members := make([]int32, 0, len(pl.members))
	seqs := make([]int, 0, len(pl.seqs))
	for _, ei := range perm {
		e := &pl.envs[ei]
		members = append(members, pl.members[e.first:e.first+e.n]...)
		seqs = append(seqs, pl.seqs[e.first:e.first+e.n]...)
	}
	pl.members, pl.seqs = members, seqs
	first := int32(0)
	for _, ei := range perm {
		pl.envs[ei].first = first
		first += pl.envs[ei].n
	}
	for pos := range perm {
		if perm[pos] < 0 {
			continue
		}
		// Follow the cycle from pos: the envelope at pos goes out, the
		// one that belongs at pos comes in.
		tmp := pl.envs[pos]
		cur := pos
		for {
			src := int(perm[cur])
			perm[cur] = -1
			if src == pos {
				pl.envs[cur] = tmp
				break
			}
			pl.envs[cur] = pl.envs[src]
			cur = src
		}
	}
}

// number assigns running numbers per stream and totals the containers;
// the envelopes are in print order.
func (pl *planner) number() {
	streams := 0
	if pl.prof.Presort != nil {
		streams = len(pl.prof.Presort.Streams)
	}
	counters := make([]int32, streams+1) // single-piece first
	for pos := range pl.envs {
		e := &pl.envs[pos]
		c := &counters[e.stream+1]
		*c++
		e.number = *c
		if e.cont >= 0 {
			ct := &pl.conts[e.cont]
			if ct.First == 0 {
				ct.First = pos + 1
			}
			ct.Last = pos + 1
			ct.Envelopes++
			ct.Pieces += int(e.n)
		}
	}
}

// sortKeys holds the values of Config.SortKeys per envelope (of its first
// piece).
type sortKeys struct {
	desc   []bool
	values []string // envelope i, key j at i*len(desc)+j
}

// sortKeyValues collects the sort key values.
func (pl *planner) sortKeyValues() sortKeys {
	n := len(pl.cfg.SortKeys)
	sk := sortKeys{desc: make([]bool, n), values: make([]string, len(pl.envs)*n)}
	fields := make([]string, n)
	for j, f := range pl.cfg.SortKeys {
		fields[j], sk.desc[j] = strings.TrimPrefix(f, "-"), strings.HasPrefix(f, "-")
	}
	for i := range pl.envs {
		m := pl.pieces[pl.members[pl.envs[i].first]].Meta
		for j, f := range fields {
			sk.values[i*n+j] = m.Get(f)
		}
	}
	return sk
}

// compare compares envelopes a and b by the sort keys.
func (sk sortKeys) compare(a, b int32) int {
	n := len(sk.desc)
	for j, desc := range sk.desc {
		c := strings.Compare(sk.values[int(a)*n+j], sk.values[int(b)*n+j])
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
