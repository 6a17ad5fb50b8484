package lpr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/omsd/omsd/drivers"
)

// Reserved source ports of RFC 1179.
const (
	firstReservedPort = 721
	reservedPorts     = 11 // 721–731
)

// maxAckMessage bounds the text read after a refusing acknowledgement.
const maxAckMessage = 1024

// ackMessageWait bounds the wait for that text.
const ackMessageWait = time.Second

// AckError is a non-zero acknowledgement from the server. Send wraps it
// with the queue and server it came from.
type AckError struct {
	Step    string // what was refused, e.g. "receive job"
	Code    byte   // the acknowledgement byte
	Message string // text the server sent after it, if any
}

func (e *AckError) Error() string {
	s := fmt.Sprintf("%s refused with code %d (%s)", e.Step, e.Code, codeMeaning(e.Code))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap makes every AckError match ErrRefused.
func (e *AckError) Unwrap() error { return ErrRefused }

// Outcome maps the acknowledgement code to a driver outcome, by LPRng's
// meanings: 1 stop the queue, 3 the job is rejected, 2 (and codes no
// server defines) retry later.
func (e *AckError) Outcome() drivers.Outcome {
	switch e.Code {
	case 1:
		return drivers.StopQueue
	case 3:
		return drivers.Failed
	default:
		return drivers.Retry
	}
}

// codeMeaning explains an acknowledgement code.
func codeMeaning(code byte) string {
	switch code {
	case 1:
		return "no spooling to this queue"
	case 2:
		return "retry later"
	case 3:
		return "job rejected"
	default:
		return "unknown code"
	}
}

// conn is a connection to the server whose every step has a deadline and
// which ctx can interrupt.
type conn struct {
	c       net.Conn
	ctx     context.Context
	addr    string
	timeout time.Duration
	stop    func() bool // unregisters the interrupt on ctx

	mu       sync.Mutex // orders deadline changes with the interrupt
	aborting bool       // abort is under way; the interrupt must not break it
}

// dial connects to the server, from a reserved port if cfg asks for one.
func (d *Driver) dial(ctx context.Context) (*conn, error) {
	c, err := d.dialTCP(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("lpr: connect to %s: %w", d.addr, ctx.Err())
		}
		if errors.Is(err, ErrReservedPort) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w: lpr: connect to %s: %w", drivers.ErrUnreachable, drivers.ErrNotSent, d.addr, err)
	}
	cn := &conn{c: c, ctx: ctx, addr: d.addr, timeout: d.cfg.Timeout}
	cn.stop = context.AfterFunc(ctx, cn.interrupt)
	return cn, nil
}

// dialTCP opens the TCP connection.
func (d *Driver) dialTCP(ctx context.Context) (net.Conn, error) {
	if !d.cfg.ReservedPort {
		return (&net.Dialer{Timeout: d.cfg.Timeout}).DialContext(ctx, "tcp", d.addr)
	}
	start := int(time.Now().UnixNano() % reservedPorts)
	var lastErr error
	for i := range reservedPorts {
		port := firstReservedPort + (start+i)%reservedPorts
		dialer := &net.Dialer{Timeout: d.cfg.Timeout, LocalAddr: &net.TCPAddr{Port: port}, Control: reuseAddr}
		c, err := dialer.DialContext(ctx, "tcp", d.addr)
		switch {
		case err == nil:
			return c, nil
		case errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM):
			return nil, fmt.Errorf("%w: needs root or CAP_NET_BIND_SERVICE: %w", ErrReservedPort, err)
		case errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, syscall.EADDRNOTAVAIL):
			lastErr = err
		default:
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: all in use: %w", ErrReservedPort, lastErr)
}

// reuseAddr sets SO_REUSEADDR, so a reserved port that lingers in
// TIME_WAIT from an earlier job can be bound again.
func reuseAddr(network, address string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	})
	if err != nil {
		return err
	}
	return serr
}

// interrupt makes blocked and later reads and writes fail at once.
func (c *conn) interrupt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.aborting {
		c.c.SetDeadline(time.Unix(1, 0))
	}
}

// arm sets the deadline of the next step, unless ctx has ended.
func (c *conn) arm() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.ctx.Err(); err != nil {
		return err
	}
	return c.c.SetDeadline(time.Now().Add(c.timeout))
}

// write sends p within the step timeout.
func (c *conn) write(p []byte) error {
	if err := c.arm(); err != nil {
		return err
	}
	if _, err := c.c.Write(p); err != nil {
		return c.netError("send", err)
	}
	return nil
}

// ack reads the server's acknowledgement of step. A non-zero byte gives
// an *AckError with the text the server sent after it.
func (c *conn) ack(step string) error {
	if err := c.arm(); err != nil {
		return err
	}
	var b [1]byte
	if _, err := io.ReadFull(c.c, b[:]); err != nil {
		return c.netError("wait for the answer to "+step, err)
	}
	if b[0] == 0 {
		return nil
	}
	return &AckError{Step: step, Code: b[0], Message: c.readMessage()}
}

// readMessage reads the text a server may send after a refusal, briefly
// and bounded, and joins its lines.
func (c *conn) readMessage() string {
	c.mu.Lock()
	if c.ctx.Err() == nil {
		c.c.SetReadDeadline(time.Now().Add(min(ackMessageWait, c.timeout)))
	}
	c.mu.Unlock()
	data, _ := io.ReadAll(io.LimitReader(c.c, maxAckMessage))
	return oneLine(string(data))
}

// netError explains a failed read or write: ctx's error if ctx ended,
// else an error wrapping drivers.ErrUnreachable.
func (c *conn) netError(what string, err error) error {
	if cerr := c.ctx.Err(); cerr != nil {
		return fmt.Errorf("lpr: %s: %w", what, cerr)
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("server closed the connection")
	}
	return fmt.Errorf("%w: %s: %w", drivers.ErrUnreachable, what, err)
}

// abort sends the abort subcommand, which makes the server drop what it
// received of the job; it is valid only between subcommands.
func (c *conn) abort() error {
	c.mu.Lock()
	c.aborting = true
	c.c.SetDeadline(time.Now().Add(min(ackMessageWait, c.timeout)))
	c.mu.Unlock()
	_, err := c.c.Write([]byte("\x01\n"))
	return err
}

// reset closes the connection with a TCP reset, so the server sees an
// aborted transfer rather than a short one.
func (c *conn) reset() {
	if tc, ok := c.c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.close()
}

// close ends the connection and stops watching ctx.
func (c *conn) close() {
	c.stop()
	c.c.Close()
}

// oneLine joins the lines of a server's text with "; ", drops other
// control characters and surrounding space.
func oneLine(s string) string {
	var lines []string
	for line := range strings.Lines(s) {
		line = strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return -1
			}
			return r
		}, line)
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "; ")
}
