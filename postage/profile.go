package postage

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed rates/*.yaml
var ratesFS embed.FS

// RateProfile is one carrier's products, weight steps, prices and presort
// rules, read from a YAML (or JSON) file. The files shipped with omsd live
// in postage/rates and are embedded; users edit a copy and load it by path.
type RateProfile struct {
	Name      string `yaml:"name" json:"name"`
	Carrier   string `yaml:"carrier" json:"carrier"`   // deutschepost, usps, royalmail
	Currency  string `yaml:"currency" json:"currency"` // ISO 4217
	Effective string `yaml:"effective" json:"effective"`
	Source    string `yaml:"source" json:"source,omitempty"`
	// WeightUnit is the unit of the up_to limits: g (default) or oz.
	WeightUnit string `yaml:"weight_unit" json:"weight_unit"`
	// Countries are the values of the country field the profile serves
	// (compared without case); an empty country field means domestic.
	Countries  []string   `yaml:"countries" json:"countries"`
	PostalCode PostalRule `yaml:"postal_code" json:"postal_code"`
	// Formats are the envelope formats, smallest first: a product takes
	// envelopes of its own format and of every smaller one.
	Formats  []string      `yaml:"formats" json:"formats"`
	Products []Product     `yaml:"products" json:"products"`
	Presort  *PresortRules `yaml:"presort" json:"presort,omitempty"`

	products map[string]int // product name -> index
}

// PostalRule says what a well-formed postal code is, after spaces and
// hyphens are removed and letters upper-cased.
type PostalRule struct {
	Digits  []int  `yaml:"digits" json:"digits,omitempty"`   // allowed lengths of an all-digit code
	Pattern string `yaml:"pattern" json:"pattern,omitempty"` // else a regular expression

	re *regexp.Regexp
}

// Product is a carrier product with its weight steps.
type Product struct {
	Name           string  `yaml:"name" json:"name"`
	Format         string  `yaml:"format" json:"format"`
	MaxThicknessMM float64 `yaml:"max_thickness_mm" json:"max_thickness_mm,omitempty"`
	Steps          []Step  `yaml:"steps" json:"steps"`
	Note           string  `yaml:"note" json:"note,omitempty"`

	rank int // index of Format in the profile's formats
}

// Step is a weight step: the price of a piece up to a weight.
type Step struct {
	UpTo      float64 `yaml:"up_to" json:"up_to"` // in the profile's weight unit
	Price     Money   `yaml:"price" json:"price"`
	Confirmed *bool   `yaml:"confirmed" json:"confirmed,omitempty"` // absent: confirmed
	Note      string  `yaml:"note" json:"note,omitempty"`

	max Weight
}

// IsConfirmed reports whether the price is confirmed by a cited source;
// a file marks doubtful prices with confirmed: false.
func (s Step) IsConfirmed() bool { return s.Confirmed == nil || *s.Confirmed }

// Profiles lists the names of the rate profiles shipped with omsd.
func Profiles() []string {
	names, _ := fs.Glob(ratesFS, "rates/*.yaml")
	for i, n := range names {
		names[i] = strings.TrimSuffix(path.Base(n), ".yaml")
	}
	sort.Strings(names)
	return names
}

// LoadProfile returns a shipped profile by name ("deutschepost", "usps",
// "royalmail"), or reads the YAML or JSON file at a path (anything with a
// slash or a .yaml, .yml or .json suffix).
func LoadProfile(name string) (*RateProfile, error) {
	if isPath(name) {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("rate profile: %w", err)
		}
		p, err := ParseProfile(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return p, nil
	}
	b, err := ratesFS.ReadFile("rates/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("%w %q (shipped: %s; or give a file path)", ErrUnknownProfile, name, strings.Join(Profiles(), ", "))
	}
	p, err := ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("rate profile %s: %w", name, err)
	}
	return p, nil
}

// isPath reports whether name is a file path rather than a shipped name.
func isPath(name string) bool {
	ext := path.Ext(name)
	return strings.ContainsAny(name, `/\`) || ext == ".yaml" || ext == ".yml" || ext == ".json"
}

// ParseProfile reads a rate profile in YAML or JSON, strictly: an unknown
// key is an error. It checks the profile and prepares it for planning.
func ParseProfile(b []byte) (*RateProfile, error) {
	var p RateProfile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProfile, err)
	}
	if err := p.prepare(); err != nil {
		return nil, err
	}
	return &p, nil
}

// prepare checks p and fills its indexes.
func (p *RateProfile) prepare() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.Name == "" || p.Carrier == "" || p.Currency == "" {
		bad("name, carrier and currency are required")
	}
	if !isDate(p.Effective) {
		bad("effective %q: want a date YYYY-MM-DD", p.Effective)
	}
	unit, ok := weightUnits[p.WeightUnit]
	if !ok {
		bad("weight_unit %q: want g or oz", p.WeightUnit)
	}
	if err := p.PostalCode.prepare(); err != nil {
		bad("postal_code: %v", err)
	}
	if len(p.Formats) == 0 || len(p.Products) == 0 {
		bad("formats and products are required")
	}
	p.products = map[string]int{}
	for i := range p.Products {
		pr := &p.Products[i]
		if _, dup := p.products[pr.Name]; dup || pr.Name == "" {
			bad("product %d: name %q is empty or used twice", i+1, pr.Name)
		}
		p.products[pr.Name] = i
		pr.rank = slices.Index(p.Formats, pr.Format)
		if pr.rank < 0 {
			bad("product %s: format %q is not one of the formats %v", pr.Name, pr.Format, p.Formats)
		}
		if err := prepareSteps(pr.Steps, unit); err != nil {
			bad("product %s: %v", pr.Name, err)
		}
	}
	if p.Presort != nil && len(errs) == 0 {
		if err := p.Presort.prepare(p, unit); err != nil {
			bad("presort: %v", err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrProfile, errors.Join(errs...))
	}
	return nil
}

// weightUnits are the units of up_to limits, in milligrams.
var weightUnits = map[string]float64{"": 1000, "g": 1000, "oz": 28349.523125}

// prepareSteps converts the limits of steps to milligrams, rounding down so
// that a limit is never exceeded, and checks that they rise.
func prepareSteps(steps []Step, unit float64) error {
	if len(steps) == 0 {
		return errors.New("no weight steps")
	}
	var last Weight
	for i := range steps {
		s := &steps[i]
		if !(s.UpTo > 0 && s.UpTo <= 1e6) {
			return fmt.Errorf("step %d: up_to %g: want a weight above 0 and at most 1000000", i+1, s.UpTo)
		}
		s.max = Weight(s.UpTo * unit)
		if s.max <= last || s.Price < 0 {
			return fmt.Errorf("step %d (up to %g): limits must rise and prices be positive", i+1, s.UpTo)
		}
		last = s.max
	}
	return nil
}

// isDate reports whether s is a date written YYYY-MM-DD.
func isDate(s string) bool { return dateRE.MatchString(s) }

var dateRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`)

// prepare compiles the rule's pattern.
func (r *PostalRule) prepare() error {
	if r.Pattern == "" {
		return nil
	}
	re, err := regexp.Compile(r.Pattern)
	if err != nil {
		return err
	}
	r.re = re
	return nil
}

// Product returns the product named name.
func (p *RateProfile) Product(name string) (*Product, bool) {
	i, ok := p.products[name]
	if !ok {
		return nil, false
	}
	return &p.Products[i], true
}

// price returns the price of a piece of weight w, the step's confirmation,
// and false if w is above the last step.
func price(steps []Step, w Weight) (Money, bool, bool) {
	for _, s := range steps {
		if w <= s.max {
			return s.Price, s.IsConfirmed(), true
		}
	}
	return 0, false, false
}

// maxWeight is the limit of the last step.
func maxWeight(steps []Step) Weight { return steps[len(steps)-1].max }

// servesCountry reports whether the profile serves country c; an empty c
// is domestic.
func (p *RateProfile) servesCountry(c string) bool {
	c = strings.TrimSpace(c)
	if c == "" {
		return true
	}
	for _, s := range p.Countries {
		if strings.EqualFold(s, c) {
			return true
		}
	}
	return false
}
