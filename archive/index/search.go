package index

import (
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// Search returns the records q selects, by piece ID.
func (x *Index) Search(q Query) ([]Record, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var out []Record
	err := x.db.View(func(tx *bbolt.Tx) error {
		ids, err := candidates(tx, q)
		if err != nil {
			return err
		}
		b := tx.Bucket(bPieces)
		for _, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			r, err := decodeRecord(v)
			if err != nil {
				return err
			}
			out = append(out, r)
			if len(out) == limit {
				break
			}
		}
		return nil
	})
	return out, err
}

// candidates intersects the IDs each condition selects.
func candidates(tx *bbolt.Tx, q Query) ([]string, error) {
	var sets []map[string]bool
	for _, c := range q.Conds {
		set, err := selectCond(tx, c)
		if err != nil {
			return nil, err
		}
		sets = append(sets, set)
	}
	if !q.From.IsZero() || !q.To.IsZero() || len(sets) == 0 {
		sets = append(sets, selectSent(tx, q))
	}
	slices.SortFunc(sets, func(a, b map[string]bool) int { return len(a) - len(b) })
	var ids []string
	for id := range sets[0] {
		all := true
		for _, s := range sets[1:] {
			all = all && s[id]
		}
		if all {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// selectCond returns the IDs one condition selects.
func selectCond(tx *bbolt.Tx, c Cond) (map[string]bool, error) {
	set := map[string]bool{}
	add := func(_, id []byte) { set[string(id)] = true }
	head := []byte("f\x00" + c.Field + "\x00")
	switch {
	case c.Field == "piece" && c.Op == Equal:
		if tx.Bucket(bPieces).Get([]byte(c.Value)) != nil {
			set[c.Value] = true
		}
		return set, nil
	case c.Field == "sent":
		// RFC 3339 UTC: sent=2026-03-01* is a day, sent=2026-03-01..2026-03-02 from
		// the start of one day to the start of the next.
		head = []byte("s\x00")
	}
	switch c.Op {
	case Equal:
		v := c.Value
		scan(tx, head, v, &v, add)
	case Prefix:
		scan(tx, head, c.Value, nil, add)
	case Range:
		to := c.To
		if to == "" {
			to = "\U0010FFFF"
		}
		scan(tx, head, c.Value, &to, add)
	case Text:
		words := Words(c.Value)
		if len(words) == 0 {
			return nil, fmt.Errorf("text search %q has no words", c.Value)
		}
		// The longest word first: it begins the fewest words, usually;
		// each next word only keeps what the ones before found.
		slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
		scan(tx, []byte("t\x00"), words[0], nil, add)
		for _, w := range words[1:] {
			keep := make(map[string]bool, len(set))
			scan(tx, []byte("t\x00"), w, nil, func(_, id []byte) {
				if set[string(id)] {
					keep[string(id)] = true
				}
			})
			set = keep
		}
	default:
		return nil, fmt.Errorf("unknown condition %q", c.Op)
	}
	return set, nil
}

// selectSent returns the IDs sent in [q.From, q.To).
func selectSent(tx *bbolt.Tx, q Query) map[string]bool {
	set := map[string]bool{}
	from, to := "", "\U0010FFFF"
	if !q.From.IsZero() {
		from = q.From.UTC().Format(sentLayout)
	}
	if !q.To.IsZero() {
		to = q.To.UTC().Format(sentLayout)
	}
	scan(tx, []byte("s\x00"), from, &to, func(v, id []byte) {
		if string(v) < to || strings.HasPrefix(to, "\U0010FFFF") {
			set[string(id)] = true
		}
	})
	return set
}
