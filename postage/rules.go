package postage

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PresortRules are a carrier's presort rules: rate streams, each with its
// levels from the finest to the coarsest.
type PresortRules struct {
	// AADC maps 3-digit ZIP prefixes to AADC labels (USPS labelling list
	// L801), for levels grouped by aadc. A profile carries a sample; the
	// full list comes from Config.Presort.LabellingList.
	AADC    map[string]string `yaml:"aadc" json:"aadc,omitempty"`
	Streams []Stream          `yaml:"streams" json:"streams"`
}

// Stream is a group of products presorted, counted and containerised
// together (a USPS mailing of automation letters; a Deutsche Post posting of
// one base product family). Envelopes are numbered per stream.
type Stream struct {
	Name     string   `yaml:"name" json:"name"`
	Products []string `yaml:"products" json:"products"`
	// Minimum is the least number of pieces for the stream to be presorted
	// at all (USPS: 500 per mailing); fewer go single-piece.
	Minimum   int           `yaml:"minimum" json:"minimum,omitempty"`
	Container ContainerRule `yaml:"container" json:"container"`
	Levels    []Level       `yaml:"levels" json:"levels"`
}

// ContainerRule says what containers hold a stream's envelopes.
type ContainerRule struct {
	Kind string `yaml:"kind" json:"kind"` // "2-ft tray", "Behälter"
	// Capacity is the number of envelopes a full container holds; 0 means
	// no limit. A group fills full containers first and puts the rest in
	// one container of RemainderKind.
	Capacity      int    `yaml:"capacity" json:"capacity,omitempty"`
	RemainderKind string `yaml:"remainder_kind" json:"remainder_kind,omitempty"`
}

// Level is a presort level: how envelopes group into containers, how many
// a group needs to qualify, and the price it earns.
type Level struct {
	Name string `yaml:"name" json:"name"`
	// Group is prefix:N (the first N characters of the postal code: 5 for
	// a USPS 5-digit tray, 2 for a Deutsche Post Leitregion), aadc (the
	// 3-digit prefix looked up in the AADC list), or all (one group).
	Group string `yaml:"group" json:"group"`
	// OriginOnly admits only the group of Config.Presort.Origin.
	OriginOnly bool `yaml:"origin_only" json:"origin_only,omitempty"`
	// MinPerGroup is the least number of envelopes in a group's container
	// (USPS: 150 per 5-digit tray; Deutsche Post BZE: 250 per Leitregion).
	MinPerGroup int `yaml:"min_per_group" json:"min_per_group,omitempty"`
	// MinPerLevel is the least number of envelopes at the level as a whole
	// (Deutsche Post BZA: 5,000 per posting).
	MinPerLevel int `yaml:"min_per_level" json:"min_per_level,omitempty"`
	// Overflow lets the remainder of a qualified group that is too small
	// for a container of its own ride in the next level's container and
	// keep this level's price (USPS DMM 233.5.4 overflow option).
	Overflow bool `yaml:"overflow" json:"overflow,omitempty"`
	// Label and Content are the container label's destination and content
	// lines; {group}, {origin} and {stream} are replaced.
	Label   string      `yaml:"label" json:"label"`
	Content string      `yaml:"content" json:"content"`
	Rates   []LevelRate `yaml:"rates" json:"rates"`

	prefix int          // N of prefix:N; 0 for all; -1 for aadc
	rates  []*LevelRate // by product index; nil: no price at this level
}

// LevelRate is the price of one product at a level: its own weight steps,
// or a discount on the single-piece price.
type LevelRate struct {
	Product   string  `yaml:"product" json:"product"`
	Discount  Percent `yaml:"discount_percent" json:"discount_percent,omitempty"`
	Steps     []Step  `yaml:"steps" json:"steps,omitempty"`
	Confirmed *bool   `yaml:"confirmed" json:"confirmed,omitempty"`
	Note      string  `yaml:"note" json:"note,omitempty"`
}

// price is the price of an envelope of product pr and weight w at the
// level, and whether it is confirmed.
func (r *LevelRate) price(pr *Product, w Weight) (Money, bool, bool) {
	confirmed := r.Confirmed == nil || *r.Confirmed
	if len(r.Steps) > 0 {
		m, c, ok := price(r.Steps, w)
		return m, c && confirmed, ok
	}
	m, c, ok := price(pr.Steps, w)
	return m - m.Percent(int64(r.Discount)), c && confirmed, ok
}

// prepare checks the rules against the profile's products.
func (r *PresortRules) prepare(p *RateProfile, unit float64) error {
	var errs []error
	seen := map[int]string{}
	for si := range r.Streams {
		s := &r.Streams[si]
		if s.Name == "" || len(s.Products) == 0 || len(s.Levels) == 0 || s.Container.Capacity < 0 {
			errs = append(errs, fmt.Errorf("stream %d: want a name, products and levels", si+1))
			continue
		}
		for _, name := range s.Products {
			i, ok := p.products[name]
			if !ok || seen[i] != "" {
				errs = append(errs, fmt.Errorf("stream %s: product %q is unknown or in two streams", s.Name, name))
				continue
			}
			seen[i] = s.Name
		}
		for li := range s.Levels {
			if err := s.Levels[li].prepare(p, unit); err != nil {
				errs = append(errs, fmt.Errorf("stream %s: %w", s.Name, err))
			}
		}
	}
	for k := range r.AADC {
		if len(k) != 3 || nonDigits(k) {
			errs = append(errs, fmt.Errorf("aadc: key %q is not a 3-digit ZIP prefix", k))
		}
	}
	return errors.Join(errs...)
}

// prepare parses the level's group and indexes its rates.
func (l *Level) prepare(p *RateProfile, unit float64) error {
	switch {
	case l.Group == "all":
		l.prefix = 0
	case l.Group == "aadc":
		l.prefix = -1
	case strings.HasPrefix(l.Group, "prefix:"):
		n, err := strconv.Atoi(strings.TrimPrefix(l.Group, "prefix:"))
		if err != nil || n < 1 || n > 11 {
			return fmt.Errorf("level %s: group %q: want prefix:N with N from 1 to 11", l.Name, l.Group)
		}
		l.prefix = n
	default:
		return fmt.Errorf("level %s: group %q: want prefix:N, aadc or all", l.Name, l.Group)
	}
	if l.Name == "" || l.MinPerGroup < 0 || l.MinPerLevel < 0 {
		return fmt.Errorf("level %q: want a name and minimums not negative", l.Name)
	}
	l.rates = make([]*LevelRate, len(p.Products))
	for i := range l.Rates {
		rt := &l.Rates[i]
		pi, ok := p.products[rt.Product]
		if !ok {
			return fmt.Errorf("level %s: rate for unknown product %q", l.Name, rt.Product)
		}
		if len(rt.Steps) > 0 {
			if err := prepareSteps(rt.Steps, unit); err != nil {
				return fmt.Errorf("level %s, product %s: %w", l.Name, rt.Product, err)
			}
		}
		l.rates[pi] = rt
	}
	return nil
}

// expand fills a label template.
func expand(tmpl, group, origin, stream string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	return strings.NewReplacer("{group}", group, "{origin}", origin, "{stream}", stream).Replace(tmpl)
}
