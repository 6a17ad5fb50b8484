package usb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/omsd/omsd/drivers"
)

// chunkWriter copies one document to the printer's bulk OUT endpoint.
type chunkWriter struct {
	conn     conn
	chunk    int           // bytes per bulk transfer
	timeout  time.Duration // per chunk
	doc      drivers.Document
	size     int64 // bytes in the document, for progress
	progress func(drivers.Progress)
	sent     int64 // bytes the printer took
	done     int   // sheets last reported
}

// copy reads src in chunks and writes each to the printer. Errors reading
// src wrap ErrSource; a canceled ctx gives an error wrapping ctx.Err().
func (w *chunkWriter) copy(ctx context.Context, src io.Reader) error {
	buf := make([]byte, w.chunk)
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("usb: sending canceled after %d bytes: %w", w.sent, err)
		}
		n, rerr := io.ReadFull(src, buf)
		if n > 0 {
			if err := w.write(ctx, buf[:n]); err != nil {
				return err
			}
			w.report()
		}
		switch {
		case (rerr == io.EOF || rerr == io.ErrUnexpectedEOF) && w.sent != w.size:
			return fmt.Errorf("%w: %d bytes sent of a %d-byte document: it changed while it was sent", ErrSource, w.sent, w.size)
		case rerr == io.EOF || rerr == io.ErrUnexpectedEOF:
			return nil
		case rerr != nil:
			return fmt.Errorf("%w: after %d bytes: %w", ErrSource, w.sent, rerr)
		}
	}
}

// write sends one chunk; the printer may take it in several transfers.
func (w *chunkWriter) write(ctx context.Context, p []byte) error {
	for len(p) > 0 {
		cctx, cancel := context.WithTimeout(ctx, w.timeout)
		n, err := w.conn.bulkOut(cctx, p)
		timedOut := errors.Is(cctx.Err(), context.DeadlineExceeded)
		cancel()
		n = min(max(n, 0), len(p))
		w.sent += int64(n)
		p = p[n:]
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("usb: sending canceled after %d bytes: %w", w.sent, ctx.Err())
		case err != nil && timedOut:
			return fmt.Errorf("%w: no data taken for %s after %d bytes: %w", ErrTimeout, w.timeout, w.sent, err)
		case err != nil:
			return fmt.Errorf("usb: bulk transfer failed after %d bytes: %w", w.sent, err)
		case n == 0:
			return fmt.Errorf("%w: printer took no data after %d bytes", ErrStall, w.sent)
		}
	}
	return nil
}

// report calls progress when the estimated number of sheets done grew.
func (w *chunkWriter) report() {
	if w.size <= 0 || w.doc.Sheets <= 0 {
		return
	}
	done := int(min(w.sent, w.size) * int64(w.doc.Sheets) / w.size)
	if done <= w.done {
		return
	}
	w.done = done
	w.progress(drivers.Progress{SheetsDone: done, Sheets: w.doc.Sheets, State: "processing",
		Message: fmt.Sprintf("%d of %d bytes sent", w.sent, w.size)})
}
