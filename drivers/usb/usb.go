// Package usb is the driver for printers attached over USB: devices with
// an interface of the USB printer class (class 7, subclass 1, protocol 1
// unidirectional, 2 bidirectional or 3 IEEE 1284.4; IPP-over-USB
// interfaces, protocol 4, are left to ipp-usb).
//
// A document goes to the printer's bulk OUT endpoint in chunks. The
// class requests GET_DEVICE_ID and GET_PORT_STATUS give the printer's
// IEEE 1284 device id (make and model) and its paper-empty, select and
// error lines. A configured printer is chosen by vendor and product id,
// optionally with a serial number ("04b8:0e28", "04b8:0e28:X8ZK001234"),
// or by fields of its device id ("1284:MFG:OMS;MDL:VirtualPrinter").
//
// What the device can confirm: that its bulk OUT endpoint took every byte
// of the document, as many as it had when the send began (USB printers
// report no job state). Send reports OK
// only when the last byte was transferred; a stall, a timeout, a
// disconnect or any transfer error before that is unconfirmed (StopQueue
// or Retry), and progress, an estimate from the bytes sent, confirms no
// piece: after a fault the whole document is sent again.
//
// The device is opened afresh for every job and released afterwards; a
// kernel driver holding the printer interface (usblp) is detached while
// omsd uses it and attached again when it is done, as CUPS' usb backend
// does.
//
// USB access goes through github.com/google/gousb and libusb, which need
// cgo. Built without cgo, New and List return ErrNoCgo.
package usb

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// Errors of the USB driver.
var (
	// ErrNoCgo is returned by New and List in builds without cgo.
	ErrNoCgo = errors.New("usb: built without cgo: USB printers need cgo and libusb")
	// ErrConfig is wrapped by errors about an invalid Config.
	ErrConfig = errors.New("usb: invalid configuration")
	// ErrLibusb is wrapped when libusb cannot be initialized (no USB
	// support on the machine); such errors also wrap drivers.ErrUnreachable.
	ErrLibusb = errors.New("usb: libusb unavailable")
	// ErrNotFound is wrapped, together with drivers.ErrUnreachable, when no
	// attached printer matches the configuration.
	ErrNotFound = errors.New("usb: no matching printer attached")
	// ErrGone is wrapped, together with drivers.ErrUnreachable, when the
	// printer disappeared while it was used.
	ErrGone = errors.New("usb: printer disconnected")
	// ErrBusy is wrapped when another program (or another job) holds the
	// printer.
	ErrBusy = errors.New("usb: printer busy")
	// ErrAccess is wrapped when the operating system refuses access to
	// the device (permissions of /dev/bus/usb).
	ErrAccess = errors.New("usb: access to the printer denied")
	// ErrPaperEmpty is wrapped when the printer reports it is out of paper.
	ErrPaperEmpty = errors.New("usb: printer out of paper")
	// ErrStall is wrapped when the printer stalls (refuses) a transfer.
	ErrStall = errors.New("usb: printer stalled the transfer")
	// ErrTimeout is wrapped when the printer takes no data or gives no
	// answer within Config.Timeout.
	ErrTimeout = errors.New("usb: printer timed out")
	// ErrSource is wrapped by errors reading the document to send.
	ErrSource = errors.New("usb: cannot read document")
	// ErrNoPortStatus is wrapped when the printer does not answer
	// GET_PORT_STATUS (the request is optional for unidirectional printers).
	ErrNoPortStatus = errors.New("usb: printer offers no port status")
	// ErrBadDeviceID is wrapped when GET_DEVICE_ID gives no usable answer.
	ErrBadDeviceID = errors.New("usb: no usable IEEE 1284 device id")
)

// Defaults and limits of Config fields.
const (
	DefaultTimeout   = 60 * time.Second
	DefaultChunkSize = 64 << 10
	MinChunkSize     = 512
	MaxChunkSize     = 16 << 20
	// maxControlTimeout bounds the class requests, which a printer answers
	// at once even while it prints.
	maxControlTimeout = 5 * time.Second
)

// Config configures one USB printer.
type Config struct {
	// Match selects the printer: "VVVV:PPPP" (vendor and product id in
	// hex), "VVVV:PPPP:SERIAL", or "1284:" followed by device id fields
	// that must all match, e.g. "1284:MFG:OMS;MDL:VirtualPrinter".
	Match string
	// Timeout bounds each chunk written to the printer and each class
	// request; a printer that takes no data for this long stops the queue.
	// Default 60s.
	Timeout time.Duration
	// ChunkSize is how many bytes go to the printer per bulk transfer,
	// between checks for cancellation and progress reports. Default 64 KiB.
	ChunkSize int
}

// Device describes one attached USB printer, as List finds it.
type Device struct {
	VendorID     string `json:"vendor_id"`  // four hex digits, e.g. "04b8"
	ProductID    string `json:"product_id"` // four hex digits
	Serial       string `json:"serial,omitempty"`
	Bus          int    `json:"bus"`
	Address      int    `json:"address"`
	DeviceID     string `json:"device_id,omitempty"` // IEEE 1284 device id
	Manufacturer string `json:"manufacturer,omitempty"`
	Product      string `json:"product,omitempty"`
	// Error tells why the device could not be opened to read its strings
	// and device id, e.g. when another program holds it.
	Error string `json:"error,omitempty"`
}

// Match returns a Config.Match value that selects this device: vendor,
// product and serial number when it has one.
func (d Device) Match() string {
	if d.Serial != "" {
		return d.VendorID + ":" + d.ProductID + ":" + d.Serial
	}
	return d.VendorID + ":" + d.ProductID
}

// Driver sends documents to one USB printer. It implements drivers.Driver
// and is safe for concurrent use; it sends one document at a time.
type Driver struct {
	cfg     Config
	sel     selector
	openBus busOpener
	log     zerolog.Logger

	mu      sync.Mutex // held while a session is opened or closed, and by Status
	sending bool       // a Send owns the device
	active  *printer   // the printer opened by the current Send
}

var _ drivers.Driver = (*Driver)(nil)

// newDriver checks cfg, fills in defaults and returns a driver that
// reaches USB through openBus.
func newDriver(cfg Config, log zerolog.Logger, openBus busOpener) (*Driver, error) {
	sel, err := parseSelector(cfg.Match)
	if err != nil {
		return nil, err
	}
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	return &Driver{
		cfg:     cfg,
		sel:     sel,
		openBus: openBus,
		log:     log.With().Str("device", "usb:"+sel.String()).Logger(),
	}, nil
}

// fill checks the numeric fields and sets the defaults of zero ones.
func (c *Config) fill() error {
	if c.Timeout < 0 {
		return fmt.Errorf("%w: negative timeout %s", ErrConfig, c.Timeout)
	}
	if c.ChunkSize != 0 && (c.ChunkSize < MinChunkSize || c.ChunkSize > MaxChunkSize) {
		return fmt.Errorf("%w: chunk size %d outside %d..%d", ErrConfig, c.ChunkSize, MinChunkSize, MaxChunkSize)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.ChunkSize == 0 {
		c.ChunkSize = DefaultChunkSize
	}
	return nil
}

// controlTimeout bounds a class request.
func (c Config) controlTimeout() time.Duration {
	return min(c.Timeout, maxControlTimeout)
}

// Match is the normalized selector of the printer, e.g. "04b8:0e28".
func (d *Driver) Match() string { return d.sel.String() }
