package config

import (
	"path"
	"strings"

	"github.com/omsd/omsd/marks"
)

// Marks is a workflow's inserter marks: a profile of the inserting line
// and what the workflow changes in it.
type Marks struct {
	// Profile names a profile shipped with omsd (pb-omr, quadient-omr,
	// datamatrix-fbp) or a profile YAML file, relative to state_dir.
	Profile string `yaml:"profile"`
	// Feeders, when set, replaces the profile's map of insert names (as
	// the postage plan names an envelope's inserts) to select-feed
	// stations.
	Feeders map[string]int `yaml:"feeders"`
	// Sides, when set, replaces the profile's sides: front, back or both.
	Sides string `yaml:"sides"`
	// IMb, when set, adds (or replaces) the profile's USPS Intelligent
	// Mail barcode on the address page.
	IMb *marks.IMb `yaml:"imb"`
	// DivertField is a metadata field whose value (other than "", 0, no,
	// false) diverts the envelope: the DVF mark, "1" for {divert}.
	// Default: the divert_field of the workflow's inserting line, so that
	// marks and manifest divert the same pieces.
	DivertField string `yaml:"divert_field"`

	loaded *marks.Profile
}

// Loaded is the prepared profile with the workflow's changes; nil before
// the configuration is validated.
func (m *Marks) Loaded() *marks.Profile { return m.loaded }

// isProfilePath tells a profile file from a shipped profile's name, as
// marks.LoadProfile does.
func isProfilePath(name string) bool {
	ext := path.Ext(name)
	return strings.ContainsAny(name, `/\`) || ext == ".yaml" || ext == ".yml"
}

// loadProfile loads a shipped marks profile by name, or a profile file
// relative to the state directory.
func (c *Config) loadProfile(ref string) (*marks.Profile, error) {
	if isProfilePath(ref) {
		ref = c.Path(ref)
	}
	return marks.LoadProfile(ref)
}

// prepareMarks loads a workflow's mark profile and applies its changes.
func (c *Config) prepareMarks(bad func(string, ...any), w Workflow) {
	m := w.Marks
	if m.Profile == "" {
		bad("workflow %q: marks.profile is missing; use one of %s or a profile file", w.Name, strings.Join(marks.Profiles(), ", "))
		return
	}
	p, err := c.loadProfile(m.Profile)
	if err != nil {
		bad("workflow %q: marks.profile: %v", w.Name, err)
		return
	}
	if m.Feeders != nil {
		p.Feeders = m.Feeders
	}
	if m.Sides != "" {
		p.Sides = m.Sides
	}
	if m.IMb != nil {
		imb := *m.IMb
		p.IMb = &imb
	}
	if err := p.Prepare(); err != nil {
		bad("workflow %q: marks: %v", w.Name, err)
		return
	}
	if m.DivertField == "" {
		if line, ok := c.LineFor(w.Name, w.Printer); ok {
			m.DivertField = line.DivertField
		}
	}
	m.loaded = p
}
