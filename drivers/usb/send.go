package usb

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// Send opens the printer, checks its port status and writes doc to it in
// chunks, reporting progress as sheets in proportion to the bytes sent.
// The printer taking the last byte is the end of the job: USB printers
// report no job state.
//
// Outcomes: an attached printer that is out of paper stops the queue
// before anything is sent, as do a printer that stalls or takes no data
// within Config.Timeout, and one the system refuses access to; a printer
// that is missing, busy or disconnected mid-job is retried later (its
// errors wrap drivers.ErrUnreachable or ErrBusy); ctx ending cancels the
// job; an unreadable document fails it.
func (d *Driver) Send(ctx context.Context, doc drivers.Document, progress func(drivers.Progress)) (drivers.Outcome, error) {
	if progress == nil {
		progress = func(drivers.Progress) {}
	}
	log := d.log.With().Int64("job", doc.JobID).Logger()
	f, size, err := openDocument(doc.Path)
	if err != nil {
		return drivers.Failed, err
	}
	defer f.Close()
	p, err := d.acquire(ctx)
	if err != nil {
		return outcomeFor(ctx, err), err
	}
	defer d.release(p)
	if err := d.checkPaper(p, log); err != nil {
		return drivers.StopQueue, err
	}
	w := &chunkWriter{conn: p.conn, chunk: d.cfg.ChunkSize, timeout: d.cfg.Timeout, doc: doc, size: size, progress: progress}
	if err := w.copy(ctx, f); err != nil {
		err = d.explain(ctx, p, err)
		log.Warn().Err(err).Int64("bytes", w.sent).Msg("sending to USB printer failed")
		return outcomeFor(ctx, err), err
	}
	progress(drivers.Progress{SheetsDone: doc.Sheets, Sheets: doc.Sheets, State: "completed",
		Message: fmt.Sprintf("%d bytes sent", size)})
	log.Info().Stringer("printer", p).Int64("bytes", size).Msg("document sent")
	return drivers.OK, nil
}

// openDocument opens the document and returns its size.
func openDocument(path string) (*os.File, int64, error) {
	f, size, err := drivers.OpenDocument(path)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrSource, err)
	}
	return f, size, nil
}

// acquire opens a bus session and the configured printer for one job and
// makes it the driver's active printer, which Status uses meanwhile.
func (d *Driver) acquire(ctx context.Context) (*printer, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.sending {
		return nil, fmt.Errorf("%w: another job is being sent to %s", ErrBusy, d.sel)
	}
	p, err := d.open(ctx)
	if err != nil {
		return nil, err
	}
	d.sending, d.active = true, p
	return p, nil
}

// release closes the active printer and its bus session.
func (d *Driver) release(p *printer) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closeSession(p)
	d.sending, d.active = false, nil
}

// open starts a bus session and finds the printer in it. The caller
// holds d.mu and closes both with closeSession.
func (d *Driver) open(ctx context.Context) (*printer, error) {
	b, err := d.openBus(d.cfg.controlTimeout())
	if err != nil {
		return nil, err
	}
	p, err := find(ctx, b, d.sel, d.log)
	if err != nil {
		if cerr := b.close(); cerr != nil {
			d.log.Warn().Err(cerr).Msg("closing USB session")
		}
		return nil, err
	}
	p.session = b
	return p, nil
}

// closeSession closes an opened printer and its bus session.
func (d *Driver) closeSession(p *printer) {
	closePrinter(p, d.log)
	if err := p.session.close(); err != nil {
		d.log.Warn().Err(err).Msg("closing USB session")
	}
}

// checkPaper reads the port status before a job. Out of paper is an
// error wrapping ErrPaperEmpty; an error or offline line is only logged,
// since printers differ in what they report there, and a printer without
// port status is sent to.
func (d *Driver) checkPaper(p *printer, log zerolog.Logger) error {
	ps, err := p.portStatus()
	switch {
	case errors.Is(err, ErrNoPortStatus):
		log.Debug().Err(err).Msg("no port status")
		return nil
	case err != nil:
		log.Warn().Err(err).Msg("reading port status")
		return nil
	case ps.PaperEmpty():
		return fmt.Errorf("%w: %s reports port status %s", ErrPaperEmpty, p, ps)
	case ps.Fault() || !ps.Selected():
		log.Warn().Stringer("port_status", ps).Msg("USB printer reports a problem; sending anyway")
	}
	return nil
}

// explain adds the printer's port status to a failed write's error, if
// it can still be read: a stall or a timeout often means paper out.
func (d *Driver) explain(ctx context.Context, p *printer, err error) error {
	if ctx.Err() != nil || errors.Is(err, ErrGone) || errors.Is(err, ErrSource) {
		return err
	}
	ps, perr := p.portStatus()
	if perr != nil {
		return err
	}
	if ps.PaperEmpty() {
		return fmt.Errorf("%w (%w: port status %s)", err, ErrPaperEmpty, ps)
	}
	return fmt.Errorf("%w (port status %s)", err, ps)
}

// outcomeFor chooses the outcome of a failed Send.
func outcomeFor(ctx context.Context, err error) drivers.Outcome {
	switch {
	case ctx.Err() != nil:
		return drivers.Cancel
	case errors.Is(err, ErrSource):
		return drivers.Failed
	case errors.Is(err, ErrPaperEmpty), errors.Is(err, ErrStall), errors.Is(err, ErrTimeout), errors.Is(err, ErrAccess):
		return drivers.StopQueue
	default: // not attached, disconnected, busy, libusb missing, other I/O errors
		return drivers.Retry
	}
}
