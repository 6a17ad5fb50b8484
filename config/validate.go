package config

import (
	"github.com/omsd/omsd/afp"

	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// Defaults applied to fields the file leaves empty.
const (
	DefaultStateDir     = "omsd-data"
	DefaultSocket       = "omsd.sock"
	DefaultSpoolDir     = "spool"
	DefaultErrorDir     = "error"
	DefaultDoneSuffix   = ".done"
	DefaultStableScans  = 2
	DefaultScanInterval = 2 * time.Second
	DefaultRetryDelay   = 30 * time.Second
	DefaultMinFree      = "16MiB"
	// DefaultMaxUpload bounds a submit through the API. Production runs
	// arrive through hot folders, which move files and have no limit;
	// the API is for operators and scripts submitting single files, and
	// 1 GiB holds a PDF or AFP run of several hundred thousand pages
	// while keeping a runaway upload from filling the spool.
	DefaultMaxUpload = Size(1 << 30)
	// DefaultFileMode is the permission of a file printer's outputs:
	// readable by the group that collects them, by nobody else.
	DefaultFileMode os.FileMode = 0o640
	// DefaultSpoolRetention keeps finished jobs' print data a week, time
	// enough for an operator to restart or reprint one.
	DefaultSpoolRetention = 7 * 24 * time.Hour
)

func (c *Config) fillDefaults() {
	setDefault(&c.StateDir, DefaultStateDir)
	setDefault(&c.Log.Format, "auto")
	setDefault(&c.Log.Level, "info")
	setDefault(&c.API.Socket, DefaultSocket)
	setDefault(&c.API.SocketMode, "0600")
	if c.API.MaxUpload == 0 {
		c.API.MaxUpload = DefaultMaxUpload
	}
	setDefault(&c.Spool.Dir, DefaultSpoolDir)
	setDefault(&c.Spool.ErrorDir, DefaultErrorDir)
	setDefault(&c.Spool.MinFree, DefaultMinFree)
	if c.Spool.RetryDelay == 0 {
		c.Spool.RetryDelay = Duration(DefaultRetryDelay)
	}
	if c.Spool.Retention == 0 {
		c.Spool.Retention = Duration(DefaultSpoolRetention)
	}
	for i := range c.Workflows {
		w := &c.Workflows[i]
		setDefault(&w.Format, "pdf")
		setDefault(&w.Pieces.Method, "auto")
		w.AFP.FormDef = c.Path(w.AFP.FormDef)
		w.AFP.Resources = c.Path(w.AFP.Resources)
	}
	for _, p := range c.Printers {
		if p.File != nil {
			setDefault(&p.File.Mode, "0640")
		}
	}
	c.fillPolicyDefaults()
	c.fillAnalysisDefaults()
	c.fillLineDefaults()
	c.fillArchiveDefaults()
	c.fillReceiverDefaults()
	c.fillIPPDefaults()
	for i := range c.HotFolders {
		h := &c.HotFolders[i]
		setDefault(&h.Pattern, "*")
		setDefault(&h.DoneSuffix, DefaultDoneSuffix)
		if h.StableScans == 0 {
			h.StableScans = DefaultStableScans
		}
		if h.ScanInterval == 0 {
			h.ScanInterval = Duration(DefaultScanInterval)
		}
	}
}

func setDefault(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

// Validate checks the configuration as a whole and reports every problem
// it finds, each naming the section and item.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if c.Version != Version {
		bad("version is %d; this omsd reads version %d (add \"version: %d\" at the top)", c.Version, Version, Version)
	}
	oneOf(bad, "log.format", c.Log.Format, "auto", "json", "console")
	oneOf(bad, "log.level", c.Log.Level, "debug", "info", "warn", "error")
	if _, err := c.Spool.Watermark(); err != nil {
		bad("spool.%v", err)
	}
	if c.Spool.Retention < Duration(time.Minute) {
		bad("spool.retention is %v; keep finished jobs at least a minute (e.g. 7d)", c.Spool.Retention.Std())
	}
	c.validatePrinters(bad)
	c.validatePools(bad)
	c.validateWorkflows(bad)
	c.validateHotFolders(bad)
	c.validateLines(bad)
	c.validateAnalysis(bad)
	c.validateArchive(bad)
	c.validateReceivers(bad)
	c.validateIPP(bad)
	c.API.validate(bad)
	c.validateMetrics(bad)
	c.validateConsole(bad)
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
}

func oneOf(bad func(string, ...any), field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	bad("%s is %q; use one of %v", field, v, allowed)
}

func (c *Config) validatePrinters(bad func(string, ...any)) {
	seen := map[string]bool{}
	for i, p := range c.Printers {
		where := fmt.Sprintf("printers[%d]", i)
		if p.Name == "" {
			bad("%s: name is missing", where)
		} else if seen[p.Name] {
			bad("%s: printer %q is defined twice", where, p.Name)
		}
		seen[p.Name] = true
		switch p.Driver {
		case "file":
			if p.File == nil || p.File.Dir == "" {
				bad("printer %q: driver file needs file.dir", p.Name)
			} else if _, err := ParseFileMode(p.File.Mode); err != nil {
				bad("printer %q: file.mode: %v", p.Name, err)
			}
		case "ipp":
			validateIPP(bad, p)
		case "lpr":
			if p.LPR == nil || p.LPR.Host == "" || p.LPR.Queue == "" {
				bad("printer %q: driver lpr needs lpr.host and lpr.queue", p.Name)
			} else if len(p.LPR.Filetype) > 1 {
				bad("printer %q: lpr.filetype is one letter (e.g. l, f, o)", p.Name)
			}
		case "socket":
			if p.Socket == nil || p.Socket.Host == "" {
				bad("printer %q: driver socket needs socket.host (port defaults to 9100)", p.Name)
			}
		case "usb":
			if p.USB == nil || p.USB.Match == "" {
				bad("printer %q: driver usb needs usb.match (VID:PID, VID:PID:SERIAL or 1284:MFG:...;MDL:...; omsctl devices usb lists them)", p.Name)
			}
		default:
			bad("printer %q: driver is %q; use file, ipp, lpr, socket or usb", p.Name, p.Driver)
		}
	}
}

func validateIPP(bad func(string, ...any), p Printer) {
	if p.IPP == nil || p.IPP.URI == "" {
		bad("printer %q: driver ipp needs ipp.uri (e.g. ipp://host:631/ipp/print)", p.Name)
		return
	}
	u, err := url.Parse(p.IPP.URI)
	if err != nil || u.Host == "" {
		bad("printer %q: ipp.uri %q is not a URI like ipp://host:631/ipp/print", p.Name, p.IPP.URI)
		return
	}
	switch u.Scheme {
	case "ipp", "ipps", "http", "https":
	default:
		bad("printer %q: ipp.uri scheme %q; use ipp or ipps", p.Name, u.Scheme)
	}
	if p.IPP.Sides != "" {
		oneOf(bad, fmt.Sprintf("printer %q: ipp.sides", p.Name), p.IPP.Sides, "one-sided", "two-sided-long-edge", "two-sided-short-edge")
	}
	if p.IPP.Copies < 0 {
		bad("printer %q: ipp.copies must not be negative", p.Name)
	}
}

func (c *Config) validateWorkflows(bad func(string, ...any)) {
	seen := map[string]bool{}
	for i, w := range c.Workflows {
		if w.Name == "" {
			bad("workflows[%d]: name is missing", i)
		} else if seen[w.Name] {
			bad("workflows[%d]: workflow %q is defined twice", i, w.Name)
		}
		seen[w.Name] = true
		oneOf(bad, fmt.Sprintf("workflow %q: format", w.Name), w.Format, "pdf", "afp")
		c.validateRouting(bad, w)
		validatePieces(bad, w)
		if w.Postage != nil {
			c.preparePostage(bad, w)
		}
		if w.Marks != nil {
			c.prepareMarks(bad, w)
		}
		if w.Channels != nil {
			c.validateChannels(bad, &w)
		}
	}
}

// preparePostage resolves the planning files of a workflow against the
// state directory and loads its rate profile and labelling list.
func (c *Config) preparePostage(bad func(string, ...any), w Workflow) {
	p := w.Postage
	p.Duplex = p.Duplex || w.Duplex // the plan counts sheets as they are printed
	if p.RatesFile != "" {
		p.RatesFile = c.Path(p.RatesFile)
	}
	if p.Presort.LabellingList != "" {
		p.Presort.LabellingList = c.Path(p.Presort.LabellingList)
	}
	if err := p.Prepare(); err != nil {
		bad("workflow %q: postage: %v", w.Name, err)
	}
}

func validatePieces(bad func(string, ...any), w Workflow) {
	p := w.Pieces
	methods := []string{"auto", "sidecar", "bookmarks", "dpart", "fixed", "whole"}
	if w.Format == "afp" {
		methods = []string{"auto", "pagegroups", "imm", "tle", "nop", "fixed"}
	}
	oneOf(bad, fmt.Sprintf("workflow %q: pieces.method", w.Name), p.Method, methods...)
	if p.Method == "fixed" && p.PagesPerPiece <= 0 {
		bad("workflow %q: pieces.method fixed needs pieces.pages_per_piece > 0", w.Name)
	}
	if p.Method != "fixed" && p.PagesPerPiece != 0 {
		bad("workflow %q: pieces.pages_per_piece is only used with method fixed", w.Name)
	}
	if (p.Method == "tle" || p.Method == "nop") != (p.Key != "") {
		bad("workflow %q: pieces.key is needed with methods tle and nop, and only there", w.Name)
	}
	if p.BookmarkPattern != "" {
		if _, err := regexp.Compile(p.BookmarkPattern); err != nil {
			bad("workflow %q: pieces.bookmark_pattern: %v", w.Name, err)
		}
	}
	if w.AFP.CodePage != 0 && !afp.SupportedCodePage(w.AFP.CodePage) {
		bad("workflow %q: afp.code_page %d is not supported; use one of %v", w.Name, w.AFP.CodePage, afp.CodePages())
	}
	if w.Format != "afp" && (w.AFP.CodePage != 0 || w.AFP.FormDef != "" || w.AFP.Resources != "" || len(w.AFP.Fields) > 0) {
		bad("workflow %q: the afp section is only used with format afp", w.Name)
	}
}

func (c *Config) validateHotFolders(bad func(string, ...any)) {
	seen := map[string]bool{}
	for i, h := range c.HotFolders {
		if h.Dir == "" {
			bad("hot_folders[%d]: dir is missing", i)
		}
		dir := filepath.Clean(c.Path(h.Dir))
		if seen[dir] {
			bad("hot_folders[%d]: %s is watched twice", i, h.Dir)
		}
		seen[dir] = true
		if _, ok := c.Workflow(h.Workflow); !ok {
			bad("hot_folders[%d] (%s): workflow %q is not defined under workflows", i, h.Dir, h.Workflow)
		}
		if _, err := filepath.Match(h.Pattern, "x"); err != nil {
			bad("hot_folders[%d] (%s): pattern %q: %v", i, h.Dir, h.Pattern, err)
		}
		if h.StableScans < 1 {
			bad("hot_folders[%d] (%s): stable_scans must be at least 1", i, h.Dir)
		}
		if h.ScanInterval < Duration(10*time.Millisecond) {
			bad("hot_folders[%d] (%s): scan_interval must be at least 10ms", i, h.Dir)
		}
	}
}
