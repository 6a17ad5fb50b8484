package postage

import (
	"cmp"
	"math"
	"slices"
)

// Report sums up a plan: postage per carrier, product and presort level,
// and the mail run costed before and after planning.
type Report struct {
	Carrier   string `json:"carrier"`
	Profile   string `json:"profile"`
	Effective string `json:"effective"`
	Currency  string `json:"currency"`
	Duplex    bool   `json:"duplex"`
	Presort   bool   `json:"presort"`
	Lines     []Line `json:"lines"`
	// Before is the run as it came: one envelope per piece, the sheets of
	// the input, single-piece prices. After is the plan, the sum of Lines.
	// Both leave out held pieces.
	Before Cost `json:"before"`
	After  Cost `json:"after"`
	// Saving is Before.Postage - After.Postage.
	Saving        Money           `json:"saving"`
	SavingPercent float64         `json:"saving_percent"`
	Household     HouseholdReport `json:"household"`
	Outputs       []OutputReport  `json:"outputs"`
	// Exceptions lists the pieces with bad data, counted by code in
	// ExceptionCounts.
	Exceptions      []Exception    `json:"exceptions,omitempty"`
	ExceptionCounts map[string]int `json:"exception_counts,omitempty"`
	Held            int            `json:"held"`
	// Unconfirmed is set when some price used is not confirmed by a
	// published source (the profile marks it confirmed: false).
	Unconfirmed bool     `json:"unconfirmed"`
	Notes       []string `json:"notes,omitempty"`
	// Digital is set when pieces left the print run for a digital
	// channel before planning.
	Digital *DigitalReport `json:"digital,omitempty"`
}

// DigitalReport is what digital delivery took out of the print run: the
// pieces by channel and the postage they would have cost on paper (the
// run planned with them, less the run planned without).
type DigitalReport struct {
	Pieces       int            `json:"pieces"`
	ByChannel    map[string]int `json:"by_channel"`
	PostageSaved Money          `json:"postage_saved"`
}

// Line is the postage of the envelopes of one product at one level.
type Line struct {
	Carrier     string `json:"carrier"`
	Product     string `json:"product"` // empty: no product takes them (not costed)
	Level       string `json:"level"`
	Pieces      int    `json:"pieces"`
	Envelopes   int    `json:"envelopes"`
	Sheets      int    `json:"sheets"`
	Weight      Weight `json:"weight_g"`
	Postage     Money  `json:"postage"`
	Unconfirmed bool   `json:"unconfirmed,omitempty"`
}

// Cost is a mail run's totals.
type Cost struct {
	Pieces    int    `json:"pieces"`
	Envelopes int    `json:"envelopes"`
	Sheets    int    `json:"sheets"`
	Weight    Weight `json:"weight_g"`
	Postage   Money  `json:"postage"`
	// Uncosted counts envelopes that no product takes; they are not in
	// Postage.
	Uncosted int `json:"uncosted"`
}

// HouseholdReport says what householding did.
type HouseholdReport struct {
	Enabled    bool `json:"enabled"`
	Households int  `json:"households"`    // keys shared by two pieces or more
	Pieces     int  `json:"merged_pieces"` // pieces in envelopes with others
	Envelopes  int  `json:"merged_envelopes"`
	Saved      int  `json:"envelopes_saved"`
}

// OutputReport counts what goes to one output.
type OutputReport struct {
	Output    string `json:"output"`
	Pieces    int    `json:"pieces"`
	Envelopes int    `json:"envelopes"`
	Sheets    int    `json:"sheets"`
}

// lineKey identifies a report line.
type lineKey struct{ product, stream, level int16 }

// report builds the plan's report.
func (pl *planner) report(plan *Plan) Report {
	r := Report{
		Carrier: pl.prof.Carrier, Profile: pl.prof.Name, Effective: pl.prof.Effective,
		Currency: pl.prof.Currency, Duplex: pl.cfg.Duplex, Presort: pl.cfg.Presort.Enabled,
		Exceptions: plan.Exceptions, Held: len(plan.Held), Notes: pl.notes,
		Household: HouseholdReport{Enabled: pl.cfg.Household.Enabled, Households: pl.household.households,
			Pieces: pl.household.merged, Envelopes: pl.household.envelopes, Saved: pl.household.merged - pl.household.envelopes},
	}
	r.Lines, r.After = pl.lines()
	r.Before = pl.beforeCost
	r.Saving = r.Before.Postage - r.After.Postage
	if r.Before.Postage > 0 {
		r.SavingPercent = math.Round(float64(r.Saving)*1000/float64(r.Before.Postage)) / 10
	}
	for _, l := range r.Lines {
		r.Unconfirmed = r.Unconfirmed || l.Unconfirmed
	}
	if len(plan.Exceptions) > 0 {
		r.ExceptionCounts = map[string]int{}
		for _, x := range plan.Exceptions {
			r.ExceptionCounts[x.Code]++
		}
	}
	r.Outputs = pl.outputReport()
	return r
}

// lines sums the envelopes per product and level, in profile order, and
// returns the lines and their total.
func (pl *planner) lines() ([]Line, Cost) {
	sums := map[lineKey]*Line{}
	var keys []lineKey
	var total Cost
	for i := range pl.envs {
		e := &pl.envs[i]
		k := lineKey{e.product, e.stream, e.level}
		l := sums[k]
		if l == nil {
			l = &Line{Carrier: pl.prof.Carrier, Level: pl.levelName(e)}
			if e.product >= 0 {
				l.Product = pl.prof.Products[e.product].Name
			}
			sums[k] = l
			keys = append(keys, k)
		}
		l.Pieces += int(e.n)
		l.Envelopes++
		l.Sheets += int(e.sheets)
		l.Weight += e.weight
		l.Postage += e.price
		l.Unconfirmed = l.Unconfirmed || e.unconf
		if e.product < 0 {
			total.Uncosted++
		}
	}
	slices.SortFunc(keys, func(a, b lineKey) int {
		return cmp.Or(cmp.Compare(uint16(a.product), uint16(b.product)), cmp.Compare(a.stream, b.stream), cmp.Compare(uint16(a.level), uint16(b.level)))
	})
	lines := make([]Line, len(keys))
	for i, k := range keys {
		l := *sums[k]
		lines[i] = l
		total.Pieces += l.Pieces
		total.Envelopes += l.Envelopes
		total.Sheets += l.Sheets
		total.Weight += l.Weight
		total.Postage += l.Postage
	}
	return lines, total
}

// costBefore costs the run as it came: each piece that is not held in an
// envelope of its own, with the sheets of the input, at single-piece
// price. The per-piece working data is not needed after it and is
// released.
func (pl *planner) costBefore() {
	pl.beforeCost = pl.before()
	pl.items = nil
}

// before is the cost of the run as it came.
func (pl *planner) before() Cost {
	var c Cost
	for i, p := range pl.pieces {
		if pl.items[i].held {
			continue
		}
		sheets := p.Sheets
		if sheets == 0 {
			sheets = p.Pages
		}
		c.Pieces++
		c.Envelopes++
		c.Sheets += sheets
		t := pl.typeFor(sheets)
		if t < 0 {
			c.Uncosted++
			continue
		}
		mask := pl.insertMask(int32(i))
		w := pl.weightOf(&pl.types[t], sheets, mask)
		c.Weight += w
		pi, m, _ := pl.cheapest(&pl.types[t], w, pl.thickness(&pl.types[t], sheets, mask))
		if pi < 0 {
			c.Uncosted++
			continue
		}
		c.Postage += m
	}
	return c
}

// outputReport counts pieces, envelopes and sheets per output, by name.
func (pl *planner) outputReport() []OutputReport {
	out := make([]OutputReport, len(pl.outNames))
	for i, name := range pl.outNames {
		out[i].Output = name
	}
	for i := range pl.envs {
		e := &pl.envs[i]
		o := &out[e.out]
		o.Pieces += int(e.n)
		o.Envelopes++
		o.Sheets += int(e.sheets)
	}
	out = slices.DeleteFunc(out, func(o OutputReport) bool { return o.Envelopes == 0 })
	slices.SortFunc(out, func(a, b OutputReport) int { return cmp.Compare(a.Output, b.Output) })
	return out
}
