package config

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/records"
)

// Line is an inserting line behind the printers: omsd writes a manifest
// (one record per mail piece) into its ManifestDir next to each print
// output, and takes the line's result files from its ResultDir.
type Line struct {
	Name string `yaml:"name"`
	// ManifestDir and ManifestLayout: where the per-piece manifest goes and
	// its record layout (a shipped name, jaf or mrdf, or a YAML file).
	ManifestDir    string `yaml:"manifest_dir"`
	ManifestLayout string `yaml:"manifest_layout"`
	// ResultDir and ResultLayout: the hot folder of the line's result
	// files and their layout (jrf, pb-output, csv, or a YAML file).
	ResultDir    string `yaml:"result_dir"`
	ResultLayout string `yaml:"result_layout"`
	// ErrorDir quarantines result files that named unknown jobs or pieces
	// or held malformed lines, each with NAME.error.json; default
	// ResultDir/error. DoneDir keeps the files applied; default
	// ResultDir/done.
	ErrorDir string `yaml:"error_dir"`
	DoneDir  string `yaml:"done_dir"`
	// Marks names the marks profile of the line (shipped name or file);
	// its feeders map insert names to select-feed stations.
	Marks string `yaml:"marks"`
	// Address lists the metadata fields written as the address lines
	// address1, address2, ...; default address1 to address6.
	Address []string `yaml:"address"`
	// DivertField is a metadata field whose value (other than "", 0, no,
	// false) diverts the piece.
	DivertField  string   `yaml:"divert_field"`
	StableScans  int      `yaml:"stable_scans"`
	ScanInterval Duration `yaml:"scan_interval"`

	// Manifest and Result are the loaded layouts, Profile the loaded
	// marks profile (nil without one).
	Manifest *records.Layout `yaml:"-"`
	Result   *records.Layout `yaml:"-"`
	Profile  *marks.Profile  `yaml:"-"`
}

// Reprint is a workflow's policy for pieces an inserting line damaged or
// did not read: auto reprints them at once while they are at most Cap of
// the job; approve (or above the cap) holds the job for an operator.
type Reprint struct {
	Mode string `yaml:"mode"` // auto or approve
	Cap  string `yaml:"cap"`  // share of the job's pieces, e.g. "10%"
}

// Tracking keeps each piece's history in the spool.
type Tracking struct {
	// Retention is how long a closed job's piece histories are kept.
	Retention Duration `yaml:"retention"`
}

// Defaults of lines, reprints and tracking.
const (
	DefaultReprintCap = "10%"
	DefaultRetention  = 90 * 24 * time.Hour
)

// CapShare returns the reprint cap as a fraction of 1.
func (r Reprint) CapShare() (float64, error) {
	s := strings.TrimSpace(r.Cap)
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("cap %q is not a share like 10%% or 0.1", r.Cap)
	}
	if pct {
		v /= 100
	}
	if v > 1 {
		return 0, fmt.Errorf("cap %q is more than the whole job", r.Cap)
	}
	return v, nil
}

// Line returns the inserting line named name.
func (c *Config) Line(name string) (Line, bool) {
	for _, l := range c.Lines {
		if l.Name == name {
			return l, true
		}
	}
	return Line{}, false
}

func (c *Config) fillLineDefaults() {
	if c.Tracking.Retention == 0 {
		c.Tracking.Retention = Duration(DefaultRetention)
	}
	for i := range c.Lines {
		l := &c.Lines[i]
		setDefault(&l.ManifestLayout, "jaf")
		setDefault(&l.ResultLayout, "jrf")
		if l.ResultDir != "" {
			setDefault(&l.ErrorDir, filepath.Join(l.ResultDir, "error"))
			setDefault(&l.DoneDir, filepath.Join(l.ResultDir, "done"))
		}
		if len(l.Address) == 0 {
			l.Address = []string{"address1", "address2", "address3", "address4", "address5", "address6"}
		}
		if l.StableScans == 0 {
			l.StableScans = DefaultStableScans
		}
		if l.ScanInterval == 0 {
			l.ScanInterval = Duration(DefaultScanInterval)
		}
	}
	for i := range c.Workflows {
		if r := c.Workflows[i].Reprint; r != nil {
			setDefault(&r.Mode, "auto")
			setDefault(&r.Cap, DefaultReprintCap)
		}
	}
}

func (c *Config) validateLines(bad func(string, ...any)) {
	seen := map[string]bool{}
	for i := range c.Lines {
		l := &c.Lines[i]
		if l.Name == "" {
			bad("lines[%d]: name is missing", i)
		} else if seen[l.Name] {
			bad("lines[%d]: line %q is defined twice", i, l.Name)
		}
		seen[l.Name] = true
		if l.ManifestDir == "" || l.ResultDir == "" {
			bad("line %q: manifest_dir and result_dir are needed", l.Name)
		}
		var err error
		if l.Manifest, err = records.Load(c.layoutRef(l.ManifestLayout)); err != nil {
			bad("line %q: manifest_layout: %v", l.Name, err)
		}
		if l.Result, err = records.Load(c.layoutRef(l.ResultLayout)); err != nil {
			bad("line %q: result_layout: %v", l.Name, err)
		}
		if l.Marks != "" {
			if l.Profile, err = c.loadProfile(l.Marks); err != nil {
				bad("line %q: marks: %v", l.Name, err)
			}
		}
		if l.StableScans < 1 || l.ScanInterval < Duration(10*time.Millisecond) {
			bad("line %q: stable_scans must be at least 1 and scan_interval at least 10ms", l.Name)
		}
	}
	for _, w := range c.Workflows {
		if w.Line != "" && !seen[w.Line] {
			bad("workflow %q: line %q is not defined under lines", w.Name, w.Line)
		}
		if r := w.Reprint; r != nil {
			oneOf(bad, fmt.Sprintf("workflow %q: reprint.mode", w.Name), r.Mode, "auto", "approve")
			if _, err := r.CapShare(); err != nil {
				bad("workflow %q: reprint: %v", w.Name, err)
			}
		}
	}
	for _, p := range c.Printers {
		if p.Line != "" && !seen[p.Line] {
			bad("printer %q: line %q is not defined under lines", p.Name, p.Line)
		}
	}
}

// layoutRef resolves a layout file against the state directory; a shipped
// layout's name is kept.
func (c *Config) layoutRef(ref string) string {
	if strings.HasSuffix(ref, ".yaml") || strings.HasSuffix(ref, ".yml") {
		return c.Path(ref)
	}
	return ref
}

// LineFor is the inserting line behind a job of workflow wf printed on
// printer: the workflow's, else the printer's; ok is false for none.
func (c *Config) LineFor(wf, printer string) (Line, bool) {
	if w, ok := c.Workflow(wf); ok && w.Line != "" {
		return c.Line(w.Line)
	}
	if p, ok := c.Printer(printer); ok && p.Line != "" {
		return c.Line(p.Line)
	}
	return Line{}, false
}
