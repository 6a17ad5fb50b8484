package usb

import (
	"errors"
	"fmt"
)

// Class requests of the USB printer class 1.1 (section 4.2).
const (
	reqGetDeviceID   = 0
	reqGetPortStatus = 1

	// rtClassInterfaceIn is bmRequestType of a class request to an
	// interface answered by the device: device-to-host, class, interface.
	rtClassInterfaceIn = 0xA1

	// deviceIDBufSize is how much of a device id is read, as in CUPS.
	deviceIDBufSize = 1024
)

// printer is an opened printer: the candidate it was found as, its
// connection and what it told about itself.
type printer struct {
	cand    candidate
	conn    conn
	session bus // the session it was opened in, when the driver opened it
	strs    deviceStrings
	id      string // IEEE 1284 device id, once read
	idValid bool
}

// String names the printer for logs and errors.
func (p *printer) String() string { return p.cand.String() }

// deviceID asks the printer for its IEEE 1284 device id once and keeps it.
// wValue is the configuration index, wIndex the interface number in the
// high byte and the alternate setting in the low byte.
func (p *printer) deviceID() (string, error) {
	if p.idValid {
		return p.id, nil
	}
	buf := make([]byte, deviceIDBufSize)
	index := uint16(p.cand.Interface)<<8 | uint16(p.cand.Alt&0xff)
	n, err := p.conn.control(rtClassInterfaceIn, reqGetDeviceID, uint16(p.cand.ConfigIndex), index, buf)
	if err != nil {
		return "", fmt.Errorf("usb: GET_DEVICE_ID from %s: %w", p, err)
	}
	id, err := decodeDeviceID(buf[:min(max(n, 0), len(buf))])
	if err != nil {
		return "", fmt.Errorf("usb: GET_DEVICE_ID from %s: %w", p, err)
	}
	p.id, p.idValid = id, true
	return id, nil
}

// portStatus asks the printer for its port status. A printer that stalls
// the request does not offer it: the error wraps ErrNoPortStatus.
func (p *printer) portStatus() (PortStatus, error) {
	buf := make([]byte, 1)
	n, err := p.conn.control(rtClassInterfaceIn, reqGetPortStatus, 0, uint16(p.cand.Interface), buf)
	switch {
	case errors.Is(err, ErrStall):
		return 0, fmt.Errorf("%w: %s: %w", ErrNoPortStatus, p, err)
	case err != nil:
		return 0, fmt.Errorf("usb: GET_PORT_STATUS from %s: %w", p, err)
	case n != 1:
		return 0, fmt.Errorf("%w: %s answered %d bytes", ErrNoPortStatus, p, n)
	}
	return PortStatus(buf[0]), nil
}

// device describes the opened printer, with its device id if it gives one.
func (p *printer) device() Device {
	d := p.cand.device()
	d.Manufacturer, d.Product, d.Serial = p.strs.Manufacturer, p.strs.Product, p.strs.Serial
	if id, err := p.deviceID(); err == nil {
		d.DeviceID = id
	}
	return d
}
