package postage

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Config says how to plan the postage of a job. Its YAML form is meant to
// sit under a workflow's postage: key; every field has a yaml and a json
// tag. Call Prepare (or let Make call it) to fill in defaults, load the rate
// profile and check everything.
type Config struct {
	// Carrier names a shipped rate profile: deutschepost, usps, royalmail.
	Carrier string `yaml:"carrier" json:"carrier"`
	// RatesFile is the path of a user's own rate profile (YAML or JSON),
	// used instead of the shipped one.
	RatesFile string `yaml:"rates_file" json:"rates_file,omitempty"`
	// Duplex prints both sides of each sheet in the plan; the "before"
	// costing keeps the sheets of the input.
	Duplex    bool           `yaml:"duplex" json:"duplex"`
	Paper     Paper          `yaml:"paper" json:"paper"`
	Envelopes []EnvelopeType `yaml:"envelopes" json:"envelopes"`
	Inserts   []Insert       `yaml:"inserts" json:"inserts,omitempty"`
	Household Household      `yaml:"household" json:"household"`
	Presort   Presort        `yaml:"presort" json:"presort"`
	Fields    Fields         `yaml:"fields" json:"fields"`
	// SafetyMarginG is kept free below each weight break, in grams.
	SafetyMarginG float64 `yaml:"safety_margin_g" json:"safety_margin_g"`
	// Fallback is what happens to a piece with bad data: single-piece
	// (printed, single-piece price) or hold (left out for an operator).
	Fallback string `yaml:"fallback" json:"fallback"`
	// Splits send envelopes to outputs; the first rule that matches wins,
	// else the envelope goes to DefaultOutput.
	Splits        []SplitRule `yaml:"splits" json:"splits,omitempty"`
	DefaultOutput string      `yaml:"default_output" json:"default_output"`
	// SortKeys are metadata fields that order envelopes after the presort
	// sequence; a leading "-" sorts descending.
	SortKeys []string `yaml:"sort_keys" json:"sort_keys,omitempty"`

	// Profile is the loaded rate profile. Prepare loads it from RatesFile
	// or Carrier unless it is already set, and checks one built by hand.
	Profile *RateProfile `yaml:"-" json:"-"`
}

// Paper is the paper stock the pieces are printed on.
type Paper struct {
	GSM       float64 `yaml:"gsm" json:"gsm"`
	WidthMM   float64 `yaml:"width_mm" json:"width_mm"`
	HeightMM  float64 `yaml:"height_mm" json:"height_mm"`
	CaliperMM float64 `yaml:"caliper_mm" json:"caliper_mm,omitempty"` // sheet thickness; 0: thickness not checked
}

// SheetWeight is the weight of one sheet.
func (p Paper) SheetWeight() Weight { return Grams(p.GSM * p.WidthMM * p.HeightMM / 1e6) }

// EnvelopeType is an envelope stock. The planner takes the one with the
// fewest MaxSheets that holds an envelope's sheets.
type EnvelopeType struct {
	Name      string  `yaml:"name" json:"name"`
	MaxSheets int     `yaml:"max_sheets" json:"max_sheets"`
	WeightG   float64 `yaml:"weight_g" json:"weight_g"`
	// Format is one of the rate profile's formats (Deutsche Post:
	// standard, kompakt, gross, maxi; USPS: letter, flat; Royal Mail:
	// letter, large-letter).
	Format      string  `yaml:"format" json:"format"`
	ThicknessMM float64 `yaml:"thickness_mm" json:"thickness_mm,omitempty"` // empty envelope
	// Layers is how many layers a folded sheet makes (3 for a letter
	// folded into a DL envelope); 0 means 1.
	Layers int `yaml:"layers" json:"layers,omitempty"`
}

// Insert is an enclosure added once to an envelope: to every envelope, or
// to those holding a piece whose metadata field Field equals Value.
type Insert struct {
	Name        string  `yaml:"name" json:"name"`
	WeightG     float64 `yaml:"weight_g" json:"weight_g"`
	ThicknessMM float64 `yaml:"thickness_mm" json:"thickness_mm,omitempty"`
	Field       string  `yaml:"field" json:"field,omitempty"`
	Value       string  `yaml:"value" json:"value,omitempty"`
}

// Household merges pieces to one recipient into one envelope.
type Household struct {
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Key are the metadata fields whose values, together, identify a
	// household. Empty: Fields.CustomerID if set, else Fields.Name,
	// Fields.Address and Fields.PostalCode.
	Key []string `yaml:"key" json:"key,omitempty"`
	// Normalise compares key values case- and punctuation-blind, with
	// umlauts and street abbreviations folded.
	Normalise bool `yaml:"normalise" json:"normalise"`
	// MaxSheets limits a merged envelope; the rest of a household overflows
	// into further envelopes. 0 means the first envelope type's MaxSheets.
	MaxSheets int `yaml:"max_sheets" json:"max_sheets,omitempty"`
}

// Presort turns on presorting by postal code.
type Presort struct {
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Origin is the postal code (or its prefix) where the mail is posted:
	// the Leitregion for Deutsche Post BZE, the origin line on USPS
	// mixed AADC labels.
	Origin string `yaml:"origin" json:"origin,omitempty"`
	// LabellingList is the path of the full USPS L801 list (3-digit ZIP
	// prefix to AADC), read by LoadLabellingList; it adds to the profile's
	// built-in sample.
	LabellingList string `yaml:"labelling_list" json:"labelling_list,omitempty"`

	aadc map[string]string // LabellingList, loaded
}

// Fields name the metadata fields of a piece that the planner reads.
type Fields struct {
	PostalCode string `yaml:"postal_code" json:"postal_code,omitempty"`
	Country    string `yaml:"country" json:"country,omitempty"`
	Name       string `yaml:"name" json:"name,omitempty"`
	Address    string `yaml:"address" json:"address,omitempty"`
	CustomerID string `yaml:"customer_id" json:"customer_id,omitempty"`
}

// Fallbacks for pieces with bad data.
const (
	FallbackSinglePiece = "single-piece"
	FallbackHold        = "hold"
)

// Defaults of Config.
const (
	DefaultOutput = "default"
	defaultGSM    = 80
	a4WidthMM     = 210
	a4HeightMM    = 297
	maxInserts    = 64 // an envelope's inserts are a 64-bit mask
	maxSheets     = 100000
)

// Prepare fills in defaults, loads the rate profile and the labelling list,
// and checks the configuration, reporting every problem it finds.
func (c *Config) Prepare() error {
	c.fillDefaults()
	if c.Profile == nil {
		p, err := c.loadProfile()
		if err != nil {
			return err
		}
		c.Profile = p
	} else if c.Profile.products == nil { // built by hand, not by ParseProfile
		if err := c.Profile.prepare(); err != nil {
			return err
		}
	}
	if c.Presort.LabellingList != "" && c.Presort.aadc == nil {
		m, err := LoadLabellingListFile(c.Presort.LabellingList)
		if err != nil {
			return err
		}
		c.Presort.aadc = m
	}
	return c.validate()
}

func (c *Config) loadProfile() (*RateProfile, error) {
	name := c.Carrier
	if c.RatesFile != "" {
		name = c.RatesFile
		if !isPath(name) {
			name = "./" + name
		}
	}
	if name == "" {
		return nil, fmt.Errorf("%w: carrier is required (one of %s)", ErrConfig, strings.Join(Profiles(), ", "))
	}
	return LoadProfile(name)
}

func (c *Config) fillDefaults() {
	if c.Paper == (Paper{}) {
		c.Paper = Paper{GSM: defaultGSM, WidthMM: a4WidthMM, HeightMM: a4HeightMM}
	}
	if c.Fallback == "" {
		c.Fallback = FallbackSinglePiece
	}
	if c.DefaultOutput == "" {
		c.DefaultOutput = DefaultOutput
	}
	if c.Household.MaxSheets == 0 && len(c.Envelopes) > 0 {
		c.Household.MaxSheets = c.Envelopes[0].MaxSheets
	}
}

// validate checks c after defaults and the profile are in place.
func (c *Config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	p := c.Profile
	if c.Carrier != "" && p.Carrier != c.Carrier {
		bad("carrier %q, but the rate profile is for %q", c.Carrier, p.Carrier)
	}
	if !within(c.Paper.GSM, 1, 2000) || !within(c.Paper.WidthMM, 1, 2000) || !within(c.Paper.HeightMM, 1, 2000) || !within(c.Paper.CaliperMM, 0, 10) {
		bad("paper: gsm (1-2000), width_mm and height_mm (1-2000) and caliper_mm (0-10) out of range")
	}
	if len(c.Envelopes) == 0 {
		bad("envelopes: at least one envelope type is required")
	}
	names := map[string]bool{}
	for i, e := range c.Envelopes {
		if e.Name == "" || names[e.Name] {
			bad("envelopes[%d]: name %q is empty or used twice", i, e.Name)
		}
		names[e.Name] = true
		if e.MaxSheets < 1 || e.MaxSheets > maxSheets || !within(e.WeightG, 0, 10000) || !within(e.ThicknessMM, 0, 1000) || e.Layers < 0 || e.Layers > 100 {
			bad("envelope %s: max_sheets must be from 1 to %d; weight_g, thickness_mm and layers in range", e.Name, maxSheets)
		}
		if !slices.Contains(p.Formats, e.Format) {
			bad("envelope %s: format %q is not one of the profile's formats %v", e.Name, e.Format, p.Formats)
		}
	}
	if len(c.Inserts) > maxInserts {
		bad("inserts: %d; at most %d", len(c.Inserts), maxInserts)
	}
	for i, in := range c.Inserts {
		if in.Name == "" || !within(in.WeightG, 0, 10000) || !within(in.ThicknessMM, 0, 1000) || (in.Field == "") != (in.Value == "") {
			bad("inserts[%d] %q: want a name, a weight from 0 to 10000 g, and field and value together", i, in.Name)
		}
	}
	c.validatePlanning(bad)
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrConfig, errors.Join(errs...))
	}
	return nil
}

// validatePlanning checks householding, presort, fallback and splits.
func (c *Config) validatePlanning(bad func(string, ...any)) {
	if c.Household.Enabled && len(c.householdKey()) == 0 {
		bad("household: no key; set household.key or fields.customer_id or fields.name/address/postal_code")
	}
	if c.Household.MaxSheets < 0 || c.Household.MaxSheets > maxSheets {
		bad("household.max_sheets must be from 0 to %d", maxSheets)
	}
	if c.Presort.Enabled && c.Fields.PostalCode == "" {
		bad("presort: fields.postal_code is required")
	}
	if c.Presort.Enabled && c.Profile.Presort == nil {
		bad("presort: the rate profile %s has no presort rules", c.Profile.Name)
	}
	if !within(c.SafetyMarginG, 0, 1000) {
		bad("safety_margin_g must be from 0 to 1000")
	}
	if c.Fallback != FallbackSinglePiece && c.Fallback != FallbackHold {
		bad("fallback %q: want %s or %s", c.Fallback, FallbackSinglePiece, FallbackHold)
	}
	for i, s := range c.Splits {
		if err := s.check(c); err != nil {
			bad("splits[%d]: %v", i, err)
		}
	}
}

// within reports whether lo <= v <= hi (false for NaN).
func within(v, lo, hi float64) bool { return v >= lo && v <= hi }

// householdKey returns the metadata fields that make the household key.
func (c *Config) householdKey() []string {
	if len(c.Household.Key) > 0 {
		return c.Household.Key
	}
	if c.Fields.CustomerID != "" {
		return []string{c.Fields.CustomerID}
	}
	var k []string
	for _, f := range []string{c.Fields.Name, c.Fields.Address, c.Fields.PostalCode} {
		if f != "" {
			k = append(k, f)
		}
	}
	return k
}

// LoadLabellingListFile reads the labelling list at path; see
// LoadLabellingList.
func LoadLabellingListFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("labelling list: %w", err)
	}
	defer f.Close()
	m, err := LoadLabellingList(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
