// Package config reads and validates omsd's configuration: one YAML file
// with a version field, strict about unknown keys. Default returns the
// embedded default configuration, with which omsd starts a working daemon in
// ./omsd-data without any flags.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/postage"
)

// Version is the configuration format version this omsd reads.
const Version = 1

//go:embed default.yaml
var defaultYAML []byte

// ErrInvalid is wrapped by every validation and parse error.
var ErrInvalid = errors.New("config: invalid")

// Config is omsd's whole configuration.
type Config struct {
	Version    int         `yaml:"version"`
	StateDir   string      `yaml:"state_dir"`
	Log        Log         `yaml:"log"`
	API        API         `yaml:"api"`
	Spool      Spool       `yaml:"spool"`
	Analysis   Analysis    `yaml:"analysis"`
	Printers   []Printer   `yaml:"printers"`
	Pools      []Pool      `yaml:"pools"`
	Workflows  []Workflow  `yaml:"workflows"`
	HotFolders []HotFolder `yaml:"hot_folders"`
	Lines      []Line      `yaml:"lines"`
	Tracking   Tracking    `yaml:"tracking"`
	Receivers  Receivers   `yaml:"receivers"`
	Metrics    Metrics     `yaml:"metrics"`
	Console    *Console    `yaml:"console"`
}

// Log configures the daemon's log output.
type Log struct {
	Format string `yaml:"format"` // auto, json, console
	Level  string `yaml:"level"`  // debug, info, warn, error
}

// API configures the local API.
type API struct {
	Socket string `yaml:"socket"`
	// SocketMode is the socket's permission, in octal: "0600" (the
	// default, its owner only) or "0660" (the owner's group too, as the
	// system service has it for group omsd).
	SocketMode string `yaml:"socket_mode"`
	// MaxUpload bounds the print file a submit may upload (default
	// DefaultMaxUpload); a larger one is refused whole.
	MaxUpload Size `yaml:"max_upload"`
}

// Spool configures where jobs and print data live.
type Spool struct {
	Dir      string `yaml:"dir"`
	ErrorDir string `yaml:"error_dir"`
	// RetryDelay is how long a job waits after a device asked to retry later.
	RetryDelay Duration `yaml:"retry_delay"`
	// MinFree is the free space kept on the filesystems omsd writes to
	// (spool, file printers, manifests): bytes ("64MiB") or a share ("2%").
	// Below it intake pauses and waiting jobs are held until space returns.
	MinFree string `yaml:"min_free"`
	// Retention is how long a finished job keeps its print data, pieces
	// and events; then only a small record of it is kept.
	Retention Duration `yaml:"retention"`
}

// Printer is one output device.
type Printer struct {
	Name   string         `yaml:"name"`
	Driver string         `yaml:"driver"` // file, ipp, lpr, socket, usb
	File   *FilePrinter   `yaml:"file"`
	IPP    *IPPPrinter    `yaml:"ipp"`
	LPR    *LPRPrinter    `yaml:"lpr"`
	Socket *SocketPrinter `yaml:"socket"`
	USB    *USBPrinter    `yaml:"usb"`
	// Capabilities are what the printer can print, for routing pool work.
	Capabilities Capabilities `yaml:"capabilities"`
	ErrorPolicy  ErrorPolicy  `yaml:"error_policy"`
	// Line names the inserting line behind the printer, for workflows
	// that name none.
	Line string `yaml:"line"`
}

// FilePrinter writes outputs into a directory.
type FilePrinter struct {
	Dir string `yaml:"dir"`
	// Link hard-links each output from the spool into Dir instead of
	// copying it, when both are on one filesystem (a copy otherwise). The
	// output then shares the spool file's inode and permissions: a reader
	// must not edit it in place.
	Link bool `yaml:"link"`
	// Mode is the permission of the files written, in octal ("0640",
	// the default). A linked output shares the spool file's inode, so
	// the mode is set on that file too.
	Mode string `yaml:"mode"`
}

// FileMode is the permission of the files the printer writes; Mode must
// have been validated.
func (f FilePrinter) FileMode() os.FileMode {
	m, err := ParseFileMode(f.Mode)
	if err != nil {
		return DefaultFileMode
	}
	return m
}

// IPPPrinter sends outputs to an IPP or IPPS printer.
type IPPPrinter struct {
	URI            string   `yaml:"uri"`
	DocumentFormat string   `yaml:"document_format"`
	Sides          string   `yaml:"sides"`
	Copies         int      `yaml:"copies"`
	Media          string   `yaml:"media"`
	PollInterval   Duration `yaml:"poll_interval"`
	Timeout        Duration `yaml:"timeout"`
}

// LPRPrinter sends outputs to an LPD queue (RFC 1179).
type LPRPrinter struct {
	Host         string   `yaml:"host"`
	Port         int      `yaml:"port"` // default 515
	Queue        string   `yaml:"queue"`
	User         string   `yaml:"user"`     // default omsd
	Hostname     string   `yaml:"hostname"` // default: this machine's name
	Filetype     string   `yaml:"filetype"` // one letter; default l (binary)
	ReservedPort bool     `yaml:"reserved_port"`
	Timeout      Duration `yaml:"timeout"`
	Banner       bool     `yaml:"banner"`
}

// SocketPrinter sends outputs over a raw TCP connection (AppSocket,
// JetDirect, port 9100).
type SocketPrinter struct {
	Host           string   `yaml:"host"`
	Port           int      `yaml:"port"` // default 9100
	ConnectTimeout Duration `yaml:"connect_timeout"`
	WriteTimeout   Duration `yaml:"write_timeout"`
	WaitClose      Duration `yaml:"wait_close"`
}

// USBPrinter sends outputs to a printer attached by USB.
type USBPrinter struct {
	// Match selects the device: "VID:PID", "VID:PID:SERIAL" or
	// "1284:MFG:...;MDL:..." against its IEEE 1284 device id.
	Match     string   `yaml:"match"`
	Timeout   Duration `yaml:"timeout"`
	ChunkSize int      `yaml:"chunk_size"`
}

// Workflow says how a print file becomes mail pieces and where it prints.
type Workflow struct {
	Name    string `yaml:"name"`
	Format  string `yaml:"format"` // pdf or afp
	Printer string `yaml:"printer"`
	Duplex  bool   `yaml:"duplex"`
	Pieces  Pieces `yaml:"pieces"`
	// SortBy orders the pieces in the output by these metadata fields
	// (stable; pieces without a field sort first).
	SortBy []string `yaml:"sort_by"`
	// Routing says what the outputs need from a printer, and where each
	// plan output goes; Printer may name a printer or a pool.
	Routing Routing `yaml:"routing"`
	// Postage turns on mail-run planning: householding, envelopes and
	// weights, carrier products, presort and print order, with a postage
	// report. Off when absent.
	Postage *postage.Config `yaml:"postage"`
	// AFP configures AFP input (format afp).
	AFP AFP `yaml:"afp"`
	// Line names the inserting line the workflow's mail goes through.
	Line string `yaml:"line"`
	// Reprint is the policy for pieces the line damaged; absent: every
	// reprint waits for an operator.
	Reprint *Reprint `yaml:"reprint"`
	// Marks draws inserter control marks (OMR, barcodes, IMb) on the
	// sheets of the outputs. Off when absent.
	Marks *Marks `yaml:"marks"`
	// Channels decides each piece's channel (print, e-mail, portal)
	// before planning. Off when absent: every piece is printed.
	Channels *WorkflowChannels `yaml:"channels"`
	// Deadline is when the workflow's jobs must be printed (a job's SLA);
	// none when absent.
	Deadline *WorkflowDeadline `yaml:"deadline"`
}

// Pieces says how the mail pieces of a print file are found.
type Pieces struct {
	// Method is auto, sidecar, bookmarks, fixed or whole.
	Method string `yaml:"method"`
	// BookmarkPattern is a regular expression whose named groups turn a
	// bookmark title into metadata fields.
	BookmarkPattern string `yaml:"bookmark_pattern"`
	// PagesPerPiece is the piece length for method fixed.
	PagesPerPiece int `yaml:"pages_per_piece"`
	// Key is the TLE or NOP key that starts a piece, for AFP methods tle
	// and nop.
	Key string `yaml:"key"`
}

// AFP holds the settings of AFP workflows.
type AFP struct {
	// CodePage decodes TLE text that names no code page: 500 (default),
	// 37, 273, 1140, 1141, ...
	CodePage int `yaml:"code_page"`
	// FormDef is an external form definition (relative to state_dir) whose
	// medium maps give the sheet counts, instead of the inline one.
	FormDef string `yaml:"form_def"`
	// Fields renames TLE attributes to piece fields, e.g. POSTCODE:
	// postal_code; other TLEs keep their names.
	Fields map[string]string `yaml:"fields"`
	// Resources is a directory (relative to state_dir) of overlays and
	// page segments that are not in the print files' resource groups,
	// for pages rendered as PDF (preview).
	Resources string `yaml:"resources"`
}

// HotFolder is a directory watched for print files.
type HotFolder struct {
	Dir          string   `yaml:"dir"`
	Workflow     string   `yaml:"workflow"`
	Pattern      string   `yaml:"pattern"`     // glob on file names, default *
	DoneSuffix   string   `yaml:"done_suffix"` // default .done
	RequireDone  bool     `yaml:"require_done"`
	StableScans  int      `yaml:"stable_scans"`
	ScanInterval Duration `yaml:"scan_interval"`
}

// Duration is a time.Duration written as "2s", "500ms" or, with a leading
// count of days, "30d" or "1d12h" in the file.
type Duration time.Duration

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (write e.g. 2s, 500ms or 30d)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads a Go duration ("90m", "2h30m") that may start with
// a count of 24-hour days ("7d", "1d12h").
func ParseDuration(s string) (time.Duration, error) {
	days, rest, ok := strings.Cut(s, "d")
	if !ok {
		return time.ParseDuration(s)
	}
	n, err := strconv.ParseUint(days, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("duration %q: days: %w", s, err)
	}
	v := time.Duration(n) * 24 * time.Hour
	if rest == "" {
		return v, nil
	}
	r, err := time.ParseDuration(rest)
	if err != nil || r < 0 {
		return 0, fmt.Errorf("duration %q: after the days: %w", s, err)
	}
	return v + r, nil
}

// MarshalYAML writes a duration string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Default returns the embedded default configuration.
func Default() *Config {
	c, err := Parse(defaultYAML)
	if err != nil {
		panic("config: embedded default is invalid: " + err.Error())
	}
	return c
}

// DefaultYAML returns the text of the embedded default configuration.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Load reads, parses and validates the file at path.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

var unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found in type (?:\w+\.)?(\w+)`)

// Parse parses and validates a configuration, filling in defaults.
func Parse(b []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
		msg = unknownField.ReplaceAllString(msg, `line $1: unknown key "$2" (in $3)`)
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.TrimSpace(msg))
	}
	c.fillDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Path resolves p against the state directory, unless it is absolute.
func (c *Config) Path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.StateDir, p)
}

// Printer returns the printer named name.
func (c *Config) Printer(name string) (Printer, bool) {
	for _, p := range c.Printers {
		if p.Name == name {
			return p, true
		}
	}
	return Printer{}, false
}

// Workflow returns the workflow named name.
func (c *Config) Workflow(name string) (Workflow, bool) {
	for _, w := range c.Workflows {
		if w.Name == name {
			return w, true
		}
	}
	return Workflow{}, false
}

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Watermark returns spool.min_free.
func (s Spool) Watermark() (diskspace.Watermark, error) {
	return diskspace.ParseWatermark(s.MinFree)
}
