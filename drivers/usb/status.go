package usb

import (
	"context"
	"errors"
	"fmt"

	"github.com/omsd/omsd/drivers"
)

// Status reads the printer's device id and port status. The make and
// model come from the device id's MFG and MDL; state and reasons from the
// port status (stopped with media-empty, other or offline; idle with none;
// processing while a job is being sent). A printer without port status is
// reported idle. A printer that is not attached gives State "unknown" and
// an error wrapping drivers.ErrUnreachable.
//
// While Send has the printer open, Status asks it over the same
// connection, so the device is not claimed twice.
func (d *Driver) Status(ctx context.Context) (drivers.Status, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.active != nil {
		return d.statusOf(d.active, true), nil
	}
	p, err := d.open(ctx)
	if err != nil {
		return drivers.Status{State: "unknown", Info: err.Error()}, err
	}
	defer d.closeSession(p)
	return d.statusOf(p, false), nil
}

// statusOf asks an opened printer for its state.
func (d *Driver) statusOf(p *printer, busy bool) drivers.Status {
	st := drivers.Status{State: "idle", Reasons: []string{"none"}, AcceptingJobs: true, Info: info(p)}
	if id, err := p.deviceID(); err == nil {
		st.MakeModel = ParseDeviceID(id).MakeModel()
	} else {
		d.log.Debug().Err(err).Msg("no device id")
	}
	if st.MakeModel == "" {
		st.MakeModel = joinNonEmpty(p.strs.Manufacturer, p.strs.Product)
	}
	ps, err := p.portStatus()
	switch {
	case err == nil:
		st.State, st.Reasons = ps.State(), ps.Reasons()
		st.Info += ", port status " + ps.String()
	case !errors.Is(err, ErrNoPortStatus):
		d.log.Warn().Err(err).Msg("reading port status")
	}
	if busy && st.State == "idle" {
		st.State = "processing"
	}
	return st
}

// info describes where the printer is attached.
func info(p *printer) string {
	s := fmt.Sprintf("USB %04x:%04x bus %d address %d", p.cand.VendorID, p.cand.ProductID, p.cand.Bus, p.cand.Address)
	if p.strs.Serial != "" {
		s += " serial " + p.strs.Serial
	}
	return s
}

// joinNonEmpty joins the non-empty strings with a space.
func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	default:
		return a + " " + b
	}
}
