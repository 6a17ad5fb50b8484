package postage

import (
	"fmt"
	"sort"
)

// envType is an envelope type ready for planning.
type envType struct {
	EnvelopeType
	weight   Weight
	products []int // profile products that take the format, in profile order
}

// envelope is the planner's view of one envelope.
type envelope struct {
	first, n int32 // its pieces: planner.members[first : first+n]
	sheets   int32
	typ      int16 // index into planner.types; -1 for none
	product  int16 // profile product index; -1 for none
	stream   int16 // presort stream; -1 for none
	level    int16 // presort level in the stream; -1 for single-piece
	cont     int32 // index into planner.conts; -1 for none
	exc      uint8
	plen     uint8 // length of the postal code
	overflow bool
	unconf   bool
	inserts  uint64 // bit i: Config.Inserts[i]
	weight   Weight
	price    Money
	skey     uint64 // postal order
	postal   string // normalised postal code of the first piece
	number   int32
	out      uint16 // index into planner.outNames
}

// prepareTypes returns the envelope types by MaxSheets, fewest first.
func prepareTypes(cfg *Config) []envType {
	ts := make([]envType, len(cfg.Envelopes))
	for i, e := range cfg.Envelopes {
		ts[i] = envType{EnvelopeType: e, weight: Grams(e.WeightG)}
		rank := indexOf(cfg.Profile.Formats, e.Format)
		for pi, p := range cfg.Profile.Products {
			if p.rank >= rank {
				ts[i].products = append(ts[i].products, pi)
			}
		}
	}
	sort.SliceStable(ts, func(a, b int) bool { return ts[a].MaxSheets < ts[b].MaxSheets })
	return ts
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// buildEnvelopes packs the households into envelopes and weighs and prices
// them.
func (pl *planner) buildEnvelopes() {
	heads, next := pl.households()
	pl.envs = make([]envelope, 0, len(pl.pieces)-len(pl.held)) // at most one per piece
	pl.members = make([]int32, 0, len(pl.pieces))
	pl.seqs = make([]int, 0, len(pl.pieces))
	limit := int32(pl.cfg.Household.MaxSheets)
	var batch []int32
	for _, h := range heads {
		if pl.items[h].held {
			continue
		}
		batch = batch[:0]
		var sheets int32
		for i := h; i >= 0; i = next[i] {
			s := pl.items[i].sheets
			if len(batch) > 0 && sheets+s > limit {
				pl.addEnvelope(batch)
				batch, sheets = batch[:0], 0
			}
			batch = append(batch, i)
			sheets += s
		}
		pl.addEnvelope(batch)
	}
}

// addEnvelope weighs and prices an envelope of pieces; if no envelope type
// or product takes it, its pieces go into envelopes of their own.
func (pl *planner) addEnvelope(pieces []int32) {
	e := envelope{n: int32(len(pieces)), typ: -1, product: -1, stream: -1, level: -1, cont: -1}
	for _, i := range pieces {
		e.sheets += pl.items[i].sheets
		e.inserts |= pl.insertMask(i)
	}
	exc := pl.weigh(&e)
	if exc != excNone && len(pieces) > 1 {
		for _, i := range pieces {
			pl.addEnvelope([]int32{i})
		}
		return
	}
	i := pieces[0]
	e.exc = pl.items[i].exc
	if exc != excNone {
		pl.except(int(i), exc, pl.failReason(exc, e))
		if pl.items[i].held {
			return
		}
		e.exc = exc
	}
	if len(pieces) > 1 {
		pl.household.envelopes++
		pl.household.merged += len(pieces)
	}
	e.first = int32(len(pl.members))
	pl.members = append(pl.members, pieces...)
	for _, i := range pieces {
		pl.seqs = append(pl.seqs, pl.pieces[i].Seq)
	}
	e.postal = pl.items[i].postal
	e.skey = postalKey(e.postal)
	e.plen = uint8(min(len(pl.items[i].postal), 255))
	pl.envs = append(pl.envs, e)
}

// weigh chooses the envelope type and product of e and prices it
// single-piece; it returns the reason if none fits.
func (pl *planner) weigh(e *envelope) uint8 {
	t := pl.typeFor(int(e.sheets))
	if t < 0 {
		return excNoEnvelope
	}
	e.typ = int16(t)
	e.weight = pl.weightOf(&pl.types[t], int(e.sheets), e.inserts)
	p, m, unconf := pl.cheapest(&pl.types[t], e.weight, pl.thickness(&pl.types[t], int(e.sheets), e.inserts))
	if p < 0 {
		return excNoProduct
	}
	e.product, e.price, e.unconf = int16(p), m, unconf
	return excNone
}

// typeFor is the envelope type with the fewest MaxSheets that holds
// sheets, or -1.
func (pl *planner) typeFor(sheets int) int {
	for i := range pl.types {
		if sheets <= pl.types[i].MaxSheets {
			return i
		}
	}
	return -1
}

// weightOf is the weight of an envelope of type t with sheets and inserts.
func (pl *planner) weightOf(t *envType, sheets int, inserts uint64) Weight {
	w := t.weight + Weight(sheets)*pl.sheetW
	for i := 0; inserts != 0; i, inserts = i+1, inserts>>1 {
		if inserts&1 != 0 {
			w += Grams(pl.cfg.Inserts[i].WeightG)
		}
	}
	return w
}

// thickness is the thickness of an envelope in millimetres, or 0 when the
// paper's caliper is not configured.
func (pl *planner) thickness(t *envType, sheets int, inserts uint64) float64 {
	if pl.cfg.Paper.CaliperMM == 0 {
		return 0
	}
	layers := max(t.Layers, 1)
	mm := t.ThicknessMM + float64(sheets*layers)*pl.cfg.Paper.CaliperMM
	for i := 0; inserts != 0; i, inserts = i+1, inserts>>1 {
		if inserts&1 != 0 {
			mm += pl.cfg.Inserts[i].ThicknessMM
		}
	}
	return mm
}

// cheapest returns the cheapest product for an envelope of type t, weight w
// and thickness mm, its price and whether that is unconfirmed; -1 if none
// takes it. The safety margin is kept below every weight break.
func (pl *planner) cheapest(t *envType, w Weight, mm float64) (int, Money, bool) {
	best, bestPrice, unconf := -1, Money(0), false
	for _, pi := range t.products {
		p := &pl.prof.Products[pi]
		if p.MaxThicknessMM > 0 && mm > p.MaxThicknessMM {
			continue
		}
		m, confirmed, ok := price(p.Steps, w+pl.margin)
		if ok && (best < 0 || m < bestPrice) {
			best, bestPrice, unconf = pi, m, !confirmed
		}
	}
	return best, bestPrice, unconf
}

// insertMask returns the inserts that piece i calls for.
func (pl *planner) insertMask(i int32) uint64 {
	var m uint64
	for b, in := range pl.cfg.Inserts {
		if in.Field == "" || pl.pieces[i].Meta.Get(in.Field) == in.Value {
			m |= 1 << b
		}
	}
	return m
}

// insertNames returns the names of the inserts in mask, shared between
// envelopes with the same inserts.
func (pl *planner) insertNames(mask uint64) []string {
	if mask == 0 {
		return nil
	}
	if names, ok := pl.inserts[mask]; ok {
		return names
	}
	var names []string
	for i, in := range pl.cfg.Inserts {
		if mask&(1<<i) != 0 {
			names = append(names, in.Name)
		}
	}
	pl.inserts[mask] = names
	return names
}

// failReason says why no envelope type or product takes e.
func (pl *planner) failReason(exc uint8, e envelope) string {
	if exc == excNoEnvelope {
		most := pl.types[len(pl.types)-1]
		return fmt.Sprintf("%d sheets; the largest envelope, %s, holds %d", e.sheets, most.Name, most.MaxSheets)
	}
	return fmt.Sprintf("%d sheets weigh %s g in envelope %s; no %s product takes that (safety margin %s g)",
		e.sheets, e.weight, pl.types[e.typ].Name, pl.prof.Name, pl.margin)
}
