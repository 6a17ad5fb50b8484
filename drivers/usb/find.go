package usb

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// find opens the first attached printer that sel matches. Candidates are
// opened one after the other: the serial number and the device id can
// only be read from an opened device. When none matches, the error wraps
// ErrNotFound and drivers.ErrUnreachable; when a device whose ids match
// cannot be opened, the error is that of the open (ErrBusy, ErrAccess).
func find(ctx context.Context, b bus, sel selector, log zerolog.Logger) (*printer, error) {
	cands, err := b.printers()
	if err != nil {
		return nil, fmt.Errorf("%w: %w: listing devices: %w", ErrNotFound, drivers.ErrUnreachable, err)
	}
	var openErrs []error
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("usb: finding printer: %w", err)
		}
		if !sel.mayMatch(c) {
			continue
		}
		p, err := openPrinter(b, c)
		if err != nil {
			log.Debug().Err(err).Stringer("candidate", c).Msg("cannot open USB printer")
			openErrs = append(openErrs, err)
			continue
		}
		if ok, why := sel.matches(p); !ok {
			log.Debug().Stringer("candidate", c).Str("why", why).Msg("USB printer does not match")
			closePrinter(p, log)
			continue
		}
		return p, nil
	}
	return nil, notFound(sel, len(cands), openErrs)
}

// notFound builds the error of a search that found nothing. For a vendor
// and product selector, failing to open a device of those ids is the
// error itself; for a device id selector, the devices that could not be
// opened may have been the printer, so their errors are wrapped too (a
// refused access then stops the queue).
func notFound(sel selector, seen int, openErrs []error) error {
	if !sel.byID && len(openErrs) > 0 {
		return openErrs[0]
	}
	msg := fmt.Sprintf("%d printer(s) attached, none matches %s", seen, sel)
	if len(openErrs) > 0 {
		return fmt.Errorf("%w: %w: %s; could not open: %w", ErrNotFound, drivers.ErrUnreachable, msg, errors.Join(openErrs...))
	}
	return fmt.Errorf("%w: %w: %s", ErrNotFound, drivers.ErrUnreachable, msg)
}

// matches checks the parts of the selector that need the opened device:
// the serial number and the device id. why tells what did not match.
func (s selector) matches(p *printer) (ok bool, why string) {
	if s.serial != "" && p.strs.Serial != s.serial {
		return false, fmt.Sprintf("serial number %q", p.strs.Serial)
	}
	if !s.byID {
		return true, ""
	}
	id, err := p.deviceID()
	if err != nil {
		return false, err.Error()
	}
	if !ParseDeviceID(id).Matches(s.id) {
		return false, fmt.Sprintf("device id %q", id)
	}
	return true, ""
}

// openPrinter opens a candidate and reads its strings.
func openPrinter(b bus, c candidate) (*printer, error) {
	cn, err := b.open(c)
	if err != nil {
		return nil, fmt.Errorf("usb: open %s: %w", c, err)
	}
	return &printer{cand: c, conn: cn, strs: cn.strings()}, nil
}

// closePrinter closes p, logging a failure.
func closePrinter(p *printer, log zerolog.Logger) {
	if err := p.conn.close(); err != nil {
		log.Warn().Err(err).Stringer("printer", p).Msg("closing USB printer")
	}
}

// listPrinters describes every attached printer. A device that cannot be
// opened is listed from its descriptors, with the reason in Error.
func listPrinters(ctx context.Context, b bus) ([]Device, error) {
	cands, err := b.printers()
	if err != nil {
		return nil, fmt.Errorf("usb: listing devices: %w", err)
	}
	devs := make([]Device, 0, len(cands))
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return devs, fmt.Errorf("usb: listing devices: %w", err)
		}
		p, err := openPrinter(b, c)
		if err != nil {
			d := c.device()
			d.Error = err.Error()
			devs = append(devs, d)
			continue
		}
		devs = append(devs, p.device())
		closePrinter(p, zerolog.Nop())
	}
	return devs, nil
}
