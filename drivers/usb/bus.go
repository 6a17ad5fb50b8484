package usb

import (
	"context"
	"fmt"
	"time"
)

// bus is one session with the machine's USB subsystem. The gousb
// implementation (libusb.go) is a libusb context; unit tests use a fake.
type bus interface {
	// printers lists the attached devices that have a printer interface,
	// from their descriptors alone.
	printers() ([]candidate, error)
	// open opens the device of c and claims its printer interface,
	// detaching a kernel driver that holds it.
	open(c candidate) (conn, error)
	// close ends the session; every conn must be closed before.
	close() error
}

// busOpener starts a bus session whose class requests time out after
// controlTimeout.
type busOpener func(controlTimeout time.Duration) (bus, error)

// candidate is the printer interface of one attached device, as its
// descriptors describe it.
type candidate struct {
	VendorID, ProductID uint16
	Bus, Address        int
	Config              int // configuration value of the configuration holding the interface
	ConfigIndex         int // its index among the device's configurations
	Interface, Alt      int // interface number and alternate setting
	OutEndpoint         int // number of the bulk OUT endpoint
	Protocol            int // 1 unidirectional, 2 bidirectional, 3 IEEE 1284.4
}

// String names the device for logs and errors.
func (c candidate) String() string {
	return fmt.Sprintf("%04x:%04x (bus %d address %d)", c.VendorID, c.ProductID, c.Bus, c.Address)
}

// device returns what the descriptors tell about the device.
func (c candidate) device() Device {
	return Device{
		VendorID:  fmt.Sprintf("%04x", c.VendorID),
		ProductID: fmt.Sprintf("%04x", c.ProductID),
		Bus:       c.Bus,
		Address:   c.Address,
	}
}

// deviceStrings are the string descriptors of an opened device.
type deviceStrings struct {
	Manufacturer, Product, Serial string
}

// conn is an opened device whose printer interface is claimed: the
// narrow part of gousb the driver uses. Its errors wrap this package's
// sentinels (ErrGone, ErrStall, ErrTimeout, ErrBusy, ErrAccess) where
// they apply.
type conn interface {
	// strings returns the manufacturer, product and serial strings, empty
	// where the device has none.
	strings() deviceStrings
	// control sends a control request and returns the bytes answered into
	// data (for requests to the host) or sent.
	control(rType, request uint8, value, index uint16, data []byte) (int, error)
	// bulkOut writes p to the printer's bulk OUT endpoint until it is all
	// taken, ctx ends, or the transfer fails; it returns the bytes taken.
	bulkOut(ctx context.Context, p []byte) (int, error)
	// close releases the interface (attaching the kernel driver again)
	// and closes the device.
	close() error
}
