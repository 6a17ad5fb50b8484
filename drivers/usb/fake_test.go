package usb

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// fakePrinter is one device on a fakeBus: it answers the class requests
// and takes bulk data the way a test sets it up, and records what it got.
type fakePrinter struct {
	cand    candidate
	strs    deviceStrings
	id      []byte // raw answer to GET_DEVICE_ID; nil stalls the request
	port    byte
	noPort  bool  // GET_PORT_STATUS stalls
	openErr error // open fails

	// bulk OUT behaviour
	maxTake   int   // bytes taken per transfer at most; 0 takes all
	failAfter int   // after this many bytes (when failErr is set) ...
	failErr   error // ... transfers fail with failErr
	block     bool  // transfers block until their context ends
	// paperOutAfterData makes the port status report paper empty once
	// any data was taken.
	paperOutAfterData bool

	mu       sync.Mutex
	data     bytes.Buffer
	chunks   []int
	controls []controlCall
	opens    int
	closes   int
}

// controlCall is one control request the fake saw.
type controlCall struct {
	rType, request uint8
	value, index   uint16
	length         int
}

// fakeBus is a bus session over fake printers.
type fakeBus struct {
	devs    []*fakePrinter
	listErr error
	mu      sync.Mutex
	closed  int
}

func (b *fakeBus) printers() ([]candidate, error) {
	if b.listErr != nil {
		return nil, b.listErr
	}
	cands := make([]candidate, len(b.devs))
	for i, d := range b.devs {
		cands[i] = d.cand
	}
	return cands, nil
}

func (b *fakeBus) open(c candidate) (conn, error) {
	for _, d := range b.devs {
		if d.cand == c {
			d.mu.Lock()
			defer d.mu.Unlock()
			if d.openErr != nil {
				return nil, d.openErr
			}
			d.opens++
			return &fakeConn{dev: d}, nil
		}
	}
	return nil, fmt.Errorf("%w: fake device gone", ErrGone)
}

func (b *fakeBus) close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed++
	return nil
}

// opener returns a busOpener handing out b, counting sessions.
func (b *fakeBus) opener() busOpener {
	return func(time.Duration) (bus, error) { return b, nil }
}

// fakeConn is an opened fakePrinter.
type fakeConn struct {
	dev    *fakePrinter
	closed bool
}

func (c *fakeConn) strings() deviceStrings { return c.dev.strs }

func (c *fakeConn) control(rType, request uint8, value, index uint16, data []byte) (int, error) {
	d := c.dev
	d.mu.Lock()
	defer d.mu.Unlock()
	d.controls = append(d.controls, controlCall{rType, request, value, index, len(data)})
	if rType != rtClassInterfaceIn {
		return 0, fmt.Errorf("%w: fake: request type 0x%02x", ErrStall, rType)
	}
	switch {
	case request == reqGetDeviceID && d.id != nil && index>>8 == uint16(d.cand.Interface):
		return copy(data, d.id), nil
	case request == reqGetPortStatus && !d.noPort && index == uint16(d.cand.Interface) && len(data) == 1:
		data[0] = d.port
		if d.paperOutAfterData && d.data.Len() > 0 {
			data[0] |= byte(PortPaperEmpty)
		}
		return 1, nil
	}
	return 0, fmt.Errorf("%w: fake: request %d", ErrStall, request)
}

func (c *fakeConn) bulkOut(ctx context.Context, p []byte) (int, error) {
	d := c.dev
	if d.block {
		<-ctx.Done()
		return 0, fmt.Errorf("fake: transfer canceled: %w", ctx.Err())
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	n := len(p)
	if d.maxTake > 0 {
		n = min(n, d.maxTake)
	}
	if d.failErr != nil && d.data.Len()+n > d.failAfter {
		n = max(d.failAfter-d.data.Len(), 0)
		d.data.Write(p[:n])
		return n, d.failErr
	}
	d.data.Write(p[:n])
	d.chunks = append(d.chunks, n)
	return n, nil
}

func (c *fakeConn) close() error {
	c.dev.mu.Lock()
	defer c.dev.mu.Unlock()
	if c.closed {
		return fmt.Errorf("fake: closed twice")
	}
	c.closed = true
	c.dev.closes++
	return nil
}

// received returns the bytes the fake printer took.
func (d *fakePrinter) received() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return bytes.Clone(d.data.Bytes())
}

// balanced reports whether every open was closed.
func (d *fakePrinter) balanced() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opens == d.closes
}

// idAnswer encodes a device id the way the class specification says:
// two length bytes, most significant first, that count themselves.
func idAnswer(id string) []byte {
	b := make([]byte, 2+len(id))
	binary.BigEndian.PutUint16(b, uint16(len(b)))
	copy(b[2:], id)
	return b
}

// virtualPrinter returns a fake like the test gadget: 0525:a4a8, serial
// OMS0001, a bidirectional interface 0 with bulk OUT endpoint 1, paper
// present and online.
func virtualPrinter() *fakePrinter {
	return &fakePrinter{
		cand: candidate{VendorID: 0x0525, ProductID: 0xa4a8, Bus: 1, Address: 2, Config: 1,
			OutEndpoint: 1, Protocol: 2},
		strs: deviceStrings{"OMS", "Virtual Printer", "OMS0001"},
		id:   idAnswer("MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;"),
		port: byte(PortNotError | PortSelected),
	}
}

// newFakeDriver returns a driver over a fake bus holding devs.
func newFakeDriver(t *testing.T, cfg Config, devs ...*fakePrinter) (*Driver, *fakeBus) {
	t.Helper()
	b := &fakeBus{devs: devs}
	d, err := newDriver(cfg, zerolog.Nop(), b.opener())
	if err != nil {
		t.Fatal(err)
	}
	return d, b
}

// nopLogger is a logger that writes nothing.
func nopLogger() zerolog.Logger { return zerolog.Nop() }
