// Package ipp is the driver for printers that speak IPP or IPPS (IPP
// Everywhere printers, CUPS queues). It sends each document with
// Print-Job and follows the job with Get-Job-Attributes until the printer
// is done with it, the way CUPS' ipp backend does.
//
// What the device can confirm: the job's state (completed, aborted,
// canceled) and, while it prints, the sheets or impressions it completed
// (job-media-sheets-completed, job-impressions-completed), which confirm
// the pieces they cover so that a resend starts after them. A job is
// completed only when the printer reports job-state completed, or when it
// forgets the job after it had reported every sheet printed. Everything
// else is unconfirmed and gives Retry, so that the job is sent again from
// its first unconfirmed piece: a printer that no longer knows the job
// (client-error-not-found or -gone) without that evidence, one that
// restarted (its printer-up-time, read before Print-Job and with every
// poll as job-printer-up-time, went back or shows it was down longer than
// it had been up; whatever it then says of the job id is about another
// job), a job id that now names another job, and a printer lost for
// maxPollFailures polls in a row. A printer or server that forgets
// finished jobs at once (CUPS with PreserveJobHistory No) cannot confirm
// them: its jobs are sent again until the error policy's limit; keep job
// history on. A Print-Job answer without a job-id cannot be followed; the
// job counts as taken by the printer, as LPD's would.
//
// Requests are encoded and decoded with github.com/phin1x/go-ipp's
// low-level API and sent over an HTTP client of this package, which
// verifies TLS certificates for ipps.
package ipp

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// Errors of the IPP driver.
var (
	ErrConfig        = errors.New("ipp: invalid configuration")
	ErrNotAccepting  = errors.New("ipp: printer not accepting jobs")
	ErrJobAborted    = errors.New("ipp: job aborted by the printer")
	ErrJobCanceled   = errors.New("ipp: job canceled at the printer")
	ErrJobLost       = errors.New("ipp: printer lost the job without reporting it completed")
	ErrBadResponse   = errors.New("ipp: malformed response")
	ErrUntrustedCert = errors.New("ipp: printer certificate not trusted")
)

// Defaults for Config fields left zero.
const (
	DefaultPollInterval = time.Second
	DefaultTimeout      = 60 * time.Second
	DefaultUsername     = "omsd"
)

// maxName is the longest IPP name or keyword value, in bytes.
const maxName = 255

// Config configures one IPP printer.
type Config struct {
	URI            string        // ipp://host:port/path or ipps://...; http and https are taken too
	DocumentFormat string        // default from doc.Format, else application/octet-stream
	Sides          string        // optional: one-sided, two-sided-long-edge, two-sided-short-edge
	Copies         int           // optional, 0 = not sent
	Media          string        // optional media keyword, e.g. iso_a4_210x297mm
	PollInterval   time.Duration // Get-Job-Attributes polling, default 1s
	Timeout        time.Duration // per-request HTTP timeout (connect, TLS, answer), default 60s
	Username       string        // requesting-user-name, default "omsd"
	// TLSConfig is used for ipps and https; nil means the system's root
	// certificates. Certificates are always verified unless the caller's
	// TLSConfig says otherwise.
	TLSConfig *tls.Config
}

// Driver sends documents to one IPP printer. It implements drivers.Driver
// and is safe for concurrent use.
type Driver struct {
	cfg        Config
	printerURI string // the ipp/ipps URI sent as printer-uri
	endpoint   string // the http/https URL requests are posted to
	client     *http.Client
	log        zerolog.Logger
	reqID      atomic.Int32
}

var _ drivers.Driver = (*Driver)(nil)

// New checks cfg, fills in defaults and returns a driver for the printer.
func New(cfg Config, log zerolog.Logger) (*Driver, error) {
	printerURI, endpoint, err := parseURI(cfg.URI)
	if err != nil {
		return nil, err
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg.fillDefaults()
	return &Driver{
		cfg:        cfg,
		printerURI: printerURI,
		endpoint:   endpoint,
		client:     newHTTPClient(cfg),
		log:        log.With().Str("device", printerURI).Logger(),
	}, nil
}

// URI is the printer's URI as sent in printer-uri.
func (d *Driver) URI() string { return d.printerURI }

// check validates the optional fields.
func (c *Config) check() error {
	switch c.Sides {
	case "", "one-sided", "two-sided-long-edge", "two-sided-short-edge":
	default:
		return fmt.Errorf("%w: sides %q", ErrConfig, c.Sides)
	}
	if c.Copies < 0 || c.Copies > 9999 {
		return fmt.Errorf("%w: copies %d", ErrConfig, c.Copies)
	}
	if c.PollInterval < 0 || c.Timeout < 0 {
		return fmt.Errorf("%w: negative poll interval or timeout", ErrConfig)
	}
	for _, v := range []string{c.DocumentFormat, c.Media, c.Username} {
		if len(v) > maxName {
			return fmt.Errorf("%w: value longer than %d bytes: %.40q...", ErrConfig, maxName, v)
		}
	}
	return nil
}

// fillDefaults sets the defaults of zero fields.
func (c *Config) fillDefaults() {
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Username == "" {
		c.Username = DefaultUsername
	}
}

// parseURI checks a printer URI and returns the printer-uri to send and
// the HTTP URL to post to. ipp and ipps default to port 631.
func parseURI(raw string) (printerURI, endpoint string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("%w: printer URI: %w", ErrConfig, err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", "", fmt.Errorf("%w: printer URI %q has no host", ErrConfig, raw)
	}
	ippScheme, httpScheme := "", ""
	switch u.Scheme { // url.Parse lowercases the scheme
	case "ipp", "http":
		ippScheme, httpScheme = "ipp", "http"
	case "ipps", "https":
		ippScheme, httpScheme = "ipps", "https"
	default:
		return "", "", fmt.Errorf("%w: printer URI %q: scheme must be ipp, ipps, http or https", ErrConfig, raw)
	}
	host := u.Host
	if u.Port() == "" && (u.Scheme == "ipp" || u.Scheme == "ipps") {
		host += ":631"
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return ippScheme + "://" + host + path, httpScheme + "://" + host + path, nil
}
