//go:build !cgo

package usb

import (
	"context"

	"github.com/rs/zerolog"
)

// New returns ErrNoCgo: this build has no USB support. Build with
// CGO_ENABLED=1 and libusb (Debian: libusb-1.0-0-dev) for USB printers.
func New(cfg Config, log zerolog.Logger) (*Driver, error) {
	return nil, ErrNoCgo
}

// List returns ErrNoCgo: this build has no USB support.
func List(ctx context.Context) ([]Device, error) {
	return nil, ErrNoCgo
}
