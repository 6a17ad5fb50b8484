package postage

import (
	"fmt"
	"math"
	"slices"
)

// levelKeys computes the group keys of candidates at one level from their
// postal keys, without touching the postal code strings.
type levelKeys struct {
	prefix int  // N of prefix:N; 0 for all
	aadc   bool // group by AADC label
	labels []string
	rank   []int32 // aadc: 3-digit prefix -> label rank + 1; 0 for none
}

// groupKeys prepares the keys of level lv. For AADC grouping, the labels
// of all 3-digit prefixes are looked up once and ranked in label order.
func (pl *planner) groupKeys(lv *Level) *levelKeys {
	k := &levelKeys{prefix: lv.prefix, aadc: lv.prefix < 0}
	if !k.aadc {
		return k
	}
	byPrefix := make([]string, 1000)
	for z := range byPrefix {
		byPrefix[z], _ = pl.aadc(fmt.Sprintf("%03d", z))
	}
	for _, l := range byPrefix {
		if l != "" && !slices.Contains(k.labels, l) {
			k.labels = append(k.labels, l)
		}
	}
	slices.Sort(k.labels)
	k.rank = make([]int32, 1000)
	for z, l := range byPrefix {
		if l != "" {
			k.rank[z] = int32(slices.Index(k.labels, l) + 1)
		}
	}
	return k
}

// key is c's group key, and false if c has no group at the level.
func (k *levelKeys) key(c cand) (uint64, bool) {
	switch {
	case k.aadc:
		if c.skey&alnumKey != 0 || c.plen < 3 {
			return 0, false
		}
		r := k.rank[prefixKey(c.skey, 3)]
		return uint64(r), r > 0
	case k.prefix == 0:
		return 0, true
	case int(c.plen) < k.prefix:
		return 0, false
	}
	return prefixKey(c.skey, k.prefix), true
}

// of is c's group key for sorting; candidates without a group sort last.
func (k *levelKeys) of(c cand) uint64 {
	if v, ok := k.key(c); ok {
		return v
	}
	return math.MaxUint64
}

// groupLabel is the name of the group of c: the postal code prefix, the
// AADC label, or "" for one group of all.
func (pl *planner) groupLabel(lv *Level, k *levelKeys, c cand) string {
	switch {
	case k.aadc:
		v, _ := k.key(c)
		return k.labels[v-1]
	case k.prefix == 0:
		return ""
	}
	return pl.postal(&pl.envs[c.ei])[:k.prefix]
}

// originKey is the group key of the configured origin at level lv, and
// false if the level admits only the origin's group and there is none.
func (pl *planner) originKey(lv *Level, k *levelKeys) (uint64, bool) {
	if !lv.OriginOnly {
		return 0, true
	}
	o := pl.origin()
	if o == "" {
		return 0, false
	}
	return k.key(cand{skey: postalKey(o), plen: uint8(min(len(o), 255))})
}
