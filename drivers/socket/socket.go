// Package socket is the driver for printers that take jobs as raw data on
// a TCP port: AppSocket, HP JetDirect, "port 9100" printing. Each
// document is one connection: the driver connects, streams the file,
// half-closes the connection and waits for the printer to close its side,
// reading and discarding whatever the printer sends back, the way CUPS'
// socket backend does.
//
// What the device can confirm: nothing but its TCP stack's
// acknowledgements and how it ends the connection; the protocol has no
// answers and no job state. A document counts as delivered only when every
// byte was acknowledged (read from the kernel's TCP_INFO) and then the
// printer closed its side cleanly (EOF) or kept the connection open, with
// no error, until WaitClose. Anything else is unconfirmed and gives Retry:
// a refused or lost connection, a printer that stops reading, and any
// error after the last byte before the clean close, a reset above all,
// even when every byte was acknowledged (a printer that resets after
// reading part of the data had the rest only in its receive buffer). The
// error tells how many bytes the printer took. Progress is an estimate
// from the bytes sent and never confirms a piece: after a fault the whole
// document is sent again.
package socket

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// Errors of the socket driver.
var (
	// ErrConfig is wrapped by errors about an invalid Config.
	ErrConfig = errors.New("socket: invalid configuration")
	// ErrSource is wrapped by errors reading the document to send.
	ErrSource = errors.New("socket: cannot read document")
)

// Defaults for Config fields left zero.
const (
	DefaultPort           = 9100
	DefaultConnectTimeout = 10 * time.Second
	DefaultWriteTimeout   = 60 * time.Second
	DefaultWaitClose      = 30 * time.Second
)

// Config configures one raw TCP printer port.
type Config struct {
	Host string // printer name or address
	Port int    // default 9100
	// ConnectTimeout bounds connecting, default 10s.
	ConnectTimeout time.Duration
	// WriteTimeout is how long a write may make no progress before the
	// printer is taken as hung, default 60s.
	WriteTimeout time.Duration
	// WaitClose is how long to wait, after the whole document was sent
	// and the connection half-closed, for the printer to close its side,
	// draining what it sends back. Default 30s.
	WaitClose time.Duration
}

// Driver sends documents to one printer port. It implements
// drivers.Driver and is safe for concurrent use.
type Driver struct {
	cfg  Config
	addr string // host:port
	log  zerolog.Logger
}

var _ drivers.Driver = (*Driver)(nil)

// New checks cfg, fills in defaults and returns a driver for the port.
func New(cfg Config, log zerolog.Logger) (*Driver, error) {
	cfg.fillDefaults()
	switch {
	case cfg.Host == "":
		return nil, fmt.Errorf("%w: no host", ErrConfig)
	case cfg.Port < 1 || cfg.Port > 65535:
		return nil, fmt.Errorf("%w: port %d", ErrConfig, cfg.Port)
	case cfg.ConnectTimeout < 0 || cfg.WriteTimeout < 0 || cfg.WaitClose < 0:
		return nil, fmt.Errorf("%w: negative timeout", ErrConfig)
	}
	d := &Driver{cfg: cfg, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}
	d.log = log.With().Str("device", d.URI()).Logger()
	return d, nil
}

// URI names the port as socket://host:port.
func (d *Driver) URI() string { return "socket://" + d.addr }

// fillDefaults sets the defaults of zero fields.
func (c *Config) fillDefaults() {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.WaitClose == 0 {
		c.WaitClose = DefaultWaitClose
	}
}

// Status checks the printer takes connections; it sends nothing. A
// printer that does is idle and accepting, as far as raw TCP can tell.
// An unreachable one gives an error wrapping drivers.ErrUnreachable.
func (d *Driver) Status(ctx context.Context) (drivers.Status, error) {
	c, err := d.dial(ctx)
	if err != nil {
		return drivers.Status{State: "unknown"}, err
	}
	c.Close()
	return drivers.Status{State: "idle", Reasons: []string{"none"}, AcceptingJobs: true, Info: "accepts connections on " + d.addr}, nil
}

// dial connects to the printer within ConnectTimeout.
func (d *Driver) dial(ctx context.Context) (*net.TCPConn, error) {
	c, err := (&net.Dialer{Timeout: d.cfg.ConnectTimeout}).DialContext(ctx, "tcp", d.addr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("socket: connect to %s: %w", d.addr, ctx.Err())
		}
		return nil, fmt.Errorf("%w: %w: socket: connect to %s: %w", drivers.ErrUnreachable, drivers.ErrNotSent, d.addr, err)
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("socket: connect to %s: not a TCP connection", d.addr)
	}
	return tc, nil
}
