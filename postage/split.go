package postage

import (
	"errors"
	"fmt"
	"slices"
)

// SplitRule sends the envelopes that match all of its conditions to an
// output (a printer, an inserter, a hand-insert pile). Empty conditions
// match everything.
type SplitRule struct {
	Output   string `yaml:"output" json:"output"`
	Envelope string `yaml:"envelope" json:"envelope,omitempty"` // envelope type
	Product  string `yaml:"product" json:"product,omitempty"`   // carrier product
	Level    string `yaml:"level" json:"level,omitempty"`       // presort level, or single-piece
	Insert   string `yaml:"insert" json:"insert,omitempty"`     // the envelope carries this insert
	// MinSheets and MaxSheets bound the envelope's sheets; 0 means no bound.
	MinSheets int `yaml:"min_sheets" json:"min_sheets,omitempty"`
	MaxSheets int `yaml:"max_sheets" json:"max_sheets,omitempty"`
	// Field and Value: some piece in the envelope has this metadata value.
	Field string `yaml:"field" json:"field,omitempty"`
	Value string `yaml:"value" json:"value,omitempty"`
}

// check reports what is wrong with the rule under c.
func (r SplitRule) check(c *Config) error {
	var errs []error
	if r.Output == "" {
		errs = append(errs, errors.New("output is required"))
	}
	if r.Envelope != "" && !slices.ContainsFunc(c.Envelopes, func(e EnvelopeType) bool { return e.Name == r.Envelope }) {
		errs = append(errs, fmt.Errorf("envelope %q is not configured", r.Envelope))
	}
	if _, ok := c.Profile.Product(r.Product); r.Product != "" && !ok {
		errs = append(errs, fmt.Errorf("product %q is not in rate profile %s", r.Product, c.Profile.Name))
	}
	if r.Insert != "" && !slices.ContainsFunc(c.Inserts, func(in Insert) bool { return in.Name == r.Insert }) {
		errs = append(errs, fmt.Errorf("insert %q is not configured", r.Insert))
	}
	if r.MinSheets < 0 || r.MaxSheets < 0 || (r.Field == "") != (r.Value == "") {
		errs = append(errs, errors.New("sheet bounds must not be negative; field and value go together"))
	}
	return errors.Join(errs...)
}

// matches reports whether envelope e matches the rule.
func (r *SplitRule) matches(pl *planner, e *envelope) bool {
	switch {
	case r.Envelope != "" && (e.typ < 0 || pl.types[e.typ].Name != r.Envelope),
		r.Product != "" && (e.product < 0 || pl.prof.Products[e.product].Name != r.Product),
		r.Level != "" && pl.levelName(e) != r.Level,
		r.MinSheets > 0 && int(e.sheets) < r.MinSheets,
		r.MaxSheets > 0 && int(e.sheets) > r.MaxSheets,
		r.Insert != "" && !slices.Contains(pl.insertNames(e.inserts), r.Insert):
		return false
	}
	if r.Field == "" {
		return true
	}
	for _, i := range pl.members[e.first : e.first+e.n] {
		if pl.pieces[i].Meta.Get(r.Field) == r.Value {
			return true
		}
	}
	return false
}

// split sends each envelope to its output.
func (pl *planner) split() {
	pl.outNames = []string{pl.cfg.DefaultOutput}
	ruleOut := make([]uint16, len(pl.cfg.Splits))
	for i, r := range pl.cfg.Splits {
		j := slices.Index(pl.outNames, r.Output)
		if j < 0 {
			j = len(pl.outNames)
			pl.outNames = append(pl.outNames, r.Output)
		}
		ruleOut[i] = uint16(j)
	}
	for ei := range pl.envs {
		e := &pl.envs[ei]
		e.out = 0
		for i := range pl.cfg.Splits {
			if pl.cfg.Splits[i].matches(pl, e) {
				e.out = ruleOut[i]
				break
			}
		}
	}
}

// outputs returns the pieces of each output in print order.
func (pl *planner) outputs() map[string][]int {
	counts := make([]int, len(pl.outNames))
	for i := range pl.envs {
		counts[pl.envs[i].out] += int(pl.envs[i].n)
	}
	m := make(map[string][]int, len(pl.outNames))
	for i, n := range counts {
		if n == len(pl.seqs) && n > 0 { // one output takes everything
			m[pl.outNames[i]] = pl.seqs
			return m
		}
	}
	outs := make([][]int, len(pl.outNames))
	for i, n := range counts {
		if n > 0 {
			outs[i] = make([]int, 0, n)
		}
	}
	for i := range pl.envs {
		e := &pl.envs[i]
		outs[e.out] = append(outs[e.out], pl.seqs[e.first:e.first+e.n]...)
	}
	for i, o := range outs {
		if o != nil {
			m[pl.outNames[i]] = o
		}
	}
	return m
}

// levelName is the name of e's presort level, or single-piece.
func (pl *planner) levelName(e *envelope) string {
	if e.level < 0 {
		return LevelSingle
	}
	return pl.prof.Presort.Streams[e.stream].Levels[e.level].Name
}
