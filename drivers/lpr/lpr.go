// Package lpr is the driver for printers and print servers that take jobs
// over the Line Printer Daemon protocol (RFC 1179, TCP port 515): LPRng,
// BSD lpd, cups-lpd and the LPD servers built into network printers.
//
// Each document is sent as one "receive job" request: first a control
// file (host, user, job name, how to print the data), then the data file,
// streamed from disk, each acknowledged by the server. As in CUPS' lpd
// backend the control file goes first, so printers without a spool can
// print while the data arrives.
//
// What the device can confirm: only that the server took the job, by its
// zero acknowledgement of the control file and then of the data file;
// LPD cannot report when or whether a job is printed. Send reports OK on
// the data file's acknowledgement and nothing earlier: a connection lost,
// a timeout or a non-zero acknowledgement at any step is unconfirmed
// (Retry, or the outcome the code asks for), and the server drops the
// partial job (abort subcommand or reset). Progress is an estimate from
// the bytes sent and confirms no piece: after a fault the whole document
// is sent again.
//
// The acknowledgement bytes are read as LPRng defines them: 0 success,
// 1 stop spooling to this queue, 2 retry later, 3 the job is rejected.
// Status asks for the short queue state (RFC 1179 command 3) and reads
// idle, processing or stopped from its text.
package lpr

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// Errors of the LPR driver.
var (
	// ErrConfig is wrapped by errors about an invalid Config.
	ErrConfig = errors.New("lpr: invalid configuration")
	// ErrRefused is wrapped by every *AckError: the server answered a
	// request with a non-zero acknowledgement.
	ErrRefused = errors.New("lpr: request refused by the server")
	// ErrReservedPort is wrapped when no source port in 721–731 could be
	// bound for a server that insists on one.
	ErrReservedPort = errors.New("lpr: cannot bind a reserved source port (721-731)")
	// ErrSource is wrapped by errors reading the document to send.
	ErrSource = errors.New("lpr: cannot read document")
)

// Defaults for Config fields left zero.
const (
	DefaultPort     = 515
	DefaultUser     = "omsd"
	DefaultFiletype = 'l'
	DefaultTimeout  = 60 * time.Second
)

// Limits of RFC 1179 on control file fields, in bytes.
const (
	maxHost     = 31  // H, and C
	maxUser     = 31  // P, and L
	maxJobName  = 99  // J
	maxTitle    = 79  // T
	maxSource   = 131 // N
	maxFileHost = 15  // host part of cfA/dfA names, as CUPS sends it
	maxQueue    = 127 // not limited by the RFC; a sane bound
)

// filetypes are the data file commands of RFC 1179 section 7.
const filetypes = "cdfglnoprtv"

// Config configures one LPD queue.
type Config struct {
	Host string // server name or address
	Port int    // default 515
	// Queue is the queue (printer) name on the server.
	Queue string
	// User is sent as the job's owner (P line), default "omsd".
	User string
	// Hostname is sent as the client's host (H line) and in the control
	// and data file names; default os.Hostname, cut to 31 bytes.
	Hostname string
	// Filetype is the control file's print command for the data file:
	// 'l' print as is, leaving control characters (default), 'f' plain
	// text, 'o' PostScript, 'p' through pr with a title, and the other
	// letters of RFC 1179 (c d g n r t v).
	Filetype byte
	// ReservedPort binds the source port to one of 721–731, as RFC 1179
	// demands and some servers insist on. It needs root (or
	// CAP_NET_BIND_SERVICE).
	ReservedPort bool
	// Timeout bounds each step: connecting, each write, each answer.
	// Default 60s.
	Timeout time.Duration
	// Banner asks the server for a banner page (C and L lines).
	Banner bool
}

// Driver sends documents to one LPD queue. It implements drivers.Driver
// and is safe for concurrent use.
type Driver struct {
	cfg  Config
	addr string // host:port
	log  zerolog.Logger
	seq  atomic.Uint32 // job numbers, taken modulo 1000
}

var _ drivers.Driver = (*Driver)(nil)

// New checks cfg, fills in defaults and returns a driver for the queue.
func New(cfg Config, log zerolog.Logger) (*Driver, error) {
	cfg.fillDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	d := &Driver{
		cfg:  cfg,
		addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
	}
	d.log = log.With().Str("device", d.URI()).Logger()
	d.seq.Store(uint32(time.Now().UnixNano() / int64(time.Millisecond) % 1000))
	return d, nil
}

// URI names the queue as lpd://host:port/queue.
func (d *Driver) URI() string { return "lpd://" + d.addr + "/" + d.cfg.Queue }

// jobNumber returns the next job number, 0 to 999.
func (d *Driver) jobNumber() int { return int(d.seq.Add(1) % 1000) }

// fillDefaults sets the defaults of zero fields.
func (c *Config) fillDefaults() {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.User == "" {
		c.User = DefaultUser
	}
	if c.Hostname == "" {
		c.Hostname = localHostname()
	}
	if c.Filetype == 0 {
		c.Filetype = DefaultFiletype
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
}

// check validates cfg after fillDefaults.
func (c *Config) check() error {
	switch {
	case c.Host == "":
		return fmt.Errorf("%w: no host", ErrConfig)
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("%w: port %d", ErrConfig, c.Port)
	case c.Queue == "" || len(c.Queue) > maxQueue || !isToken(c.Queue):
		return fmt.Errorf("%w: queue %q: want 1 to %d printable ASCII characters without spaces", ErrConfig, c.Queue, maxQueue)
	case len(c.User) > maxUser || !isToken(c.User):
		return fmt.Errorf("%w: user %q: want up to %d printable ASCII characters without spaces", ErrConfig, c.User, maxUser)
	case len(c.Hostname) > maxHost || hostForFile(c.Hostname) != c.Hostname:
		return fmt.Errorf("%w: hostname %q: want up to %d letters, digits, '.', '-' or '_'", ErrConfig, c.Hostname, maxHost)
	case !validFiletype(c.Filetype):
		return fmt.Errorf("%w: filetype %q: want one of %q", ErrConfig, c.Filetype, filetypes)
	case c.Timeout < 0:
		return fmt.Errorf("%w: negative timeout", ErrConfig)
	}
	return nil
}

// validFiletype reports whether b is a data file command of RFC 1179.
func validFiletype(b byte) bool {
	for i := range len(filetypes) {
		if filetypes[i] == b {
			return true
		}
	}
	return false
}

// isToken reports whether s is non-empty printable ASCII without spaces.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// localHostname is the machine's host name made fit for the H line and
// file names, or "localhost".
func localHostname() string {
	name, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	name = hostForFile(name)
	if len(name) > maxHost {
		name = name[:maxHost]
	}
	if name == "" {
		return "localhost"
	}
	return name
}
