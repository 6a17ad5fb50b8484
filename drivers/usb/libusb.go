//go:build cgo

package usb

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/gousb"
	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// New checks cfg and returns a driver for the USB printer cfg.Match
// selects. The printer need not be attached yet: it is looked up for
// every job.
func New(cfg Config, log zerolog.Logger) (*Driver, error) {
	return newDriver(cfg, log, openLibusb)
}

// List describes the USB printers attached to the machine. Each is opened
// briefly to read its strings and device id; one that cannot be opened
// (held by another program, no permission) is listed with Error set.
func List(ctx context.Context) ([]Device, error) {
	b, err := openLibusb(maxControlTimeout)
	if err != nil {
		return nil, err
	}
	defer b.close()
	return listPrinters(ctx, b)
}

// libusbBus is a bus session: one gousb context.
type libusbBus struct {
	ctx            *gousb.Context
	controlTimeout time.Duration
}

// openLibusb starts a libusb context. gousb panics when libusb cannot be
// initialized (no usbfs on the machine); that becomes an error wrapping
// ErrLibusb and drivers.ErrUnreachable.
func openLibusb(controlTimeout time.Duration) (b bus, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("%w: %w: %v", ErrLibusb, drivers.ErrUnreachable, r)
		}
	}()
	return &libusbBus{ctx: gousb.NewContext(), controlTimeout: controlTimeout}, nil
}

// printers enumerates the devices without opening them.
func (b *libusbBus) printers() ([]candidate, error) {
	var cands []candidate
	_, err := b.ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		if c, ok := printerCandidate(desc); ok {
			cands = append(cands, c)
		}
		return false
	})
	if err != nil && len(cands) == 0 {
		return nil, classify(err)
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Bus != cands[j].Bus {
			return cands[i].Bus < cands[j].Bus
		}
		return cands[i].Address < cands[j].Address
	})
	return cands, nil
}

// printerCandidate finds the best printer interface of a device: of the
// lowest configuration that has one, a bidirectional alternate setting
// before a unidirectional one before IEEE 1284.4.
func printerCandidate(desc *gousb.DeviceDesc) (candidate, bool) {
	cfgNums := make([]int, 0, len(desc.Configs))
	for n := range desc.Configs {
		cfgNums = append(cfgNums, n)
	}
	sort.Ints(cfgNums)
	for idx, n := range cfgNums {
		best, found := candidate{}, false
		for _, intf := range desc.Configs[n].Interfaces {
			for _, alt := range intf.AltSettings {
				c, ok := altCandidate(alt)
				if ok && (!found || protocolRank(c.Protocol) > protocolRank(best.Protocol)) {
					best, found = c, true
				}
			}
		}
		if found {
			best.VendorID, best.ProductID = uint16(desc.Vendor), uint16(desc.Product)
			best.Bus, best.Address = desc.Bus, desc.Address
			best.Config, best.ConfigIndex = n, idx
			return best, true
		}
	}
	return candidate{}, false
}

// altCandidate accepts a printer-class alternate setting with a bulk OUT
// endpoint.
func altCandidate(alt gousb.InterfaceSetting) (candidate, bool) {
	if alt.Class != gousb.ClassPrinter || alt.SubClass != 1 || protocolRank(int(alt.Protocol)) == 0 {
		return candidate{}, false
	}
	for _, ep := range alt.Endpoints {
		if ep.Direction == gousb.EndpointDirectionOut && ep.TransferType == gousb.TransferTypeBulk {
			return candidate{Interface: alt.Number, Alt: alt.Alternate, OutEndpoint: ep.Number, Protocol: int(alt.Protocol)}, true
		}
	}
	return candidate{}, false
}

// protocolRank orders printer interface protocols by preference; 0 means
// not usable (IPP over USB, vendor protocols).
func protocolRank(p int) int {
	switch p {
	case 2:
		return 3
	case 1:
		return 2
	case 3:
		return 1
	default:
		return 0
	}
}

// open opens the device at c's bus and address and claims its printer
// interface. Auto-detach is switched on only after the configuration is
// taken: gousb's Config would otherwise detach the kernel drivers of every
// interface (a card reader's, a scanner's), while libusb's claim detaches
// the printer interface's alone and attaches it again on release.
func (b *libusbBus) open(c candidate) (cn conn, err error) {
	devs, err := b.ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		return desc.Bus == c.Bus && desc.Address == c.Address
	})
	for _, d := range devs[min(1, len(devs)):] {
		d.Close()
	}
	if len(devs) == 0 {
		if err != nil {
			return nil, classify(err)
		}
		return nil, fmt.Errorf("%w: %w: %s is gone", ErrGone, drivers.ErrUnreachable, c)
	}
	dev := devs[0]
	dev.ControlTimeout = b.controlTimeout
	lc := &libusbConn{dev: dev}
	defer func() {
		if err != nil {
			lc.close()
		}
	}()
	if lc.cfg, err = dev.Config(c.Config); err != nil {
		return nil, classify(err)
	}
	if err := dev.SetAutoDetach(true); err != nil {
		return nil, classify(err)
	}
	if lc.intf, err = lc.cfg.Interface(c.Interface, c.Alt); err != nil {
		return nil, classify(err)
	}
	if lc.ep, err = lc.intf.OutEndpoint(c.OutEndpoint); err != nil {
		return nil, classify(err)
	}
	lc.strs = readStrings(dev)
	return lc, nil
}

func (b *libusbBus) close() error { return b.ctx.Close() }

// readStrings reads the string descriptors; a device without them has
// empty ones.
func readStrings(dev *gousb.Device) deviceStrings {
	var s deviceStrings
	s.Manufacturer, _ = dev.Manufacturer()
	s.Product, _ = dev.Product()
	s.Serial, _ = dev.SerialNumber()
	return deviceStrings{strings.TrimSpace(s.Manufacturer), strings.TrimSpace(s.Product), strings.TrimSpace(s.Serial)}
}

// libusbConn is an opened device with its printer interface claimed.
type libusbConn struct {
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	ep   *gousb.OutEndpoint
	strs deviceStrings
}

func (c *libusbConn) strings() deviceStrings { return c.strs }

func (c *libusbConn) control(rType, request uint8, value, index uint16, data []byte) (int, error) {
	n, err := c.dev.Control(rType, request, value, index, data)
	if err != nil {
		return n, classify(err)
	}
	return n, nil
}

func (c *libusbConn) bulkOut(ctx context.Context, p []byte) (int, error) {
	n, err := c.ep.WriteContext(ctx, p)
	if err != nil {
		return n, classify(err)
	}
	return n, nil
}

// close releases the interface (libusb attaches the kernel driver again),
// the configuration and the device, in that order.
func (c *libusbConn) close() error {
	if c.intf != nil {
		c.intf.Close()
		c.intf = nil
	}
	var errs []error
	if c.cfg != nil {
		errs = append(errs, c.cfg.Close())
		c.cfg = nil
	}
	if c.dev != nil {
		errs = append(errs, c.dev.Close())
		c.dev = nil
	}
	return errors.Join(errs...)
}

// classify wraps a gousb error with this package's sentinel for it.
// gousb formats some errors with %v, so the libusb error is also
// recognized by its text.
func classify(err error) error {
	for _, k := range errorKinds {
		var ge gousb.Error
		var ts gousb.TransferStatus
		switch {
		case errors.As(err, &ge) && ge == k.code,
			errors.As(err, &ts) && k.status != 0 && ts == k.status,
			strings.Contains(err.Error(), k.code.Error()):
			if k.unreachable {
				return fmt.Errorf("%w: %w: %w", k.sentinel, drivers.ErrUnreachable, err)
			}
			return fmt.Errorf("%w: %w", k.sentinel, err)
		}
	}
	return err
}

// errorKinds maps libusb errors and transfer states to sentinels.
var errorKinds = []struct {
	code        gousb.Error
	status      gousb.TransferStatus
	sentinel    error
	unreachable bool
}{
	{gousb.ErrorNoDevice, gousb.TransferNoDevice, ErrGone, true},
	{gousb.ErrorPipe, gousb.TransferStall, ErrStall, false},
	{gousb.ErrorTimeout, gousb.TransferTimedOut, ErrTimeout, false},
	{gousb.ErrorBusy, 0, ErrBusy, false},
	{gousb.ErrorAccess, 0, ErrAccess, false},
}
