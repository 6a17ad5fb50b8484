package lpr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/omsd/omsd/drivers"
)

// chunkSize is how much of the document is written between checks of the
// context and progress reports.
const chunkSize = 64 << 10

// Send delivers doc to the queue as one LPD job: control file first, then
// the data file. It returns OK once the server acknowledged both; LPD
// cannot tell when the job is printed. If ctx ends during the transfer,
// the job is dropped at the server (with the abort subcommand between
// subcommands, by resetting the connection in the middle of a file) and
// Send returns Cancel.
func (d *Driver) Send(ctx context.Context, doc drivers.Document, progress func(drivers.Progress)) (drivers.Outcome, error) {
	if progress == nil {
		progress = func(drivers.Progress) {}
	}
	f, size, err := openDocument(doc.Path)
	if err != nil {
		return drivers.Failed, err
	}
	defer f.Close()
	cf := d.newControlFile(doc, d.jobNumber())
	log := d.log.With().Int64("job", doc.JobID).Str("lpd_job", cf.ControlName()).Logger()
	c, err := d.dial(ctx)
	if err != nil {
		return outcomeFor(ctx, err), err
	}
	t := &transfer{c: c, queue: d.cfg.Queue, cf: cf, pr: &progressor{doc: doc, size: size, fn: progress}}
	if err := t.run(f, size); err != nil {
		t.drop()
		out := outcomeFor(ctx, err)
		if out == drivers.Cancel {
			log.Info().Msg("transfer canceled; job dropped at the server")
			return out, fmt.Errorf("lpr: job %s canceled: %w", cf.ControlName(), err)
		}
		var aerr *AckError
		if errors.As(err, &aerr) {
			// The server refused the job: it keeps none of it.
			err = fmt.Errorf("%w: %w", drivers.ErrNotSent, err)
		}
		return out, fmt.Errorf("lpr: queue %s at %s: %w", d.cfg.Queue, d.addr, err)
	}
	c.close()
	progress(drivers.Progress{SheetsDone: doc.Sheets, Sheets: doc.Sheets, State: "completed", Message: "accepted by the LPD server"})
	log.Info().Int64("bytes", size).Msg("document sent")
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

// outcomeFor chooses the outcome of a failed transfer.
func outcomeFor(ctx context.Context, err error) drivers.Outcome {
	var aerr *AckError
	switch {
	case ctx.Err() != nil:
		return drivers.Cancel
	case errors.As(err, &aerr):
		return aerr.Outcome()
	case errors.Is(err, ErrSource):
		return drivers.Failed
	case errors.Is(err, ErrReservedPort) && (errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)):
		return drivers.StopQueue
	default: // unreachable, timed out, connection lost, reserved ports busy
		return drivers.Retry
	}
}

// transfer is one receive-job exchange.
type transfer struct {
	c       *conn
	queue   string
	cf      controlFile
	pr      *progressor
	between bool // between subcommands, where the abort subcommand is valid
}

// run sends the receive-job command, the control file and the data file.
func (t *transfer) run(data io.Reader, size int64) error {
	if err := t.c.write([]byte("\x02" + t.queue + "\n")); err != nil {
		return err
	}
	if err := t.c.ack("receive job"); err != nil {
		return err
	}
	t.between = true
	ctl := t.cf.Bytes()
	if err := t.subcommand(fmt.Sprintf("\x02%d %s\n", len(ctl), t.cf.ControlName()), "control file"); err != nil {
		return err
	}
	if err := t.c.write(append(ctl, 0)); err != nil {
		return err
	}
	if err := t.c.ack("control file"); err != nil {
		return err
	}
	t.between = true
	t.pr.start()
	if err := t.subcommand(fmt.Sprintf("\x03%d %s\n", size, t.cf.DataName()), "data file"); err != nil {
		return err
	}
	if err := t.stream(data, size); err != nil {
		return err
	}
	return t.c.ack("data file")
}

// subcommand sends a subcommand line and reads its acknowledgement. It
// first checks ctx, so a canceled job is aborted between subcommands.
func (t *transfer) subcommand(line, step string) error {
	if err := t.c.ctx.Err(); err != nil {
		return err
	}
	t.between = false
	if err := t.c.write([]byte(line)); err != nil {
		return err
	}
	return t.c.ack(step + " subcommand")
}

// stream sends exactly size bytes of data and the terminating zero byte,
// reporting progress as it goes.
func (t *transfer) stream(data io.Reader, size int64) error {
	buf := make([]byte, chunkSize)
	var sent int64
	for sent < size {
		n, rerr := data.Read(buf[:min(int64(len(buf)), size-sent)])
		if n > 0 {
			if err := t.c.write(buf[:n]); err != nil {
				return err
			}
			sent += int64(n)
			t.pr.report(sent)
		}
		switch {
		case errors.Is(rerr, io.EOF) && sent < size:
			return fmt.Errorf("%w: document shrank to %d of %d bytes while it was sent", ErrSource, sent, size)
		case rerr != nil && !errors.Is(rerr, io.EOF):
			return fmt.Errorf("%w: %w", ErrSource, rerr)
		}
	}
	return t.c.write([]byte{0})
}

// drop ends a failed transfer so the server discards the job: with the
// abort subcommand between subcommands, else with a connection reset.
func (t *transfer) drop() {
	if t.between {
		t.c.abort()
		t.c.close()
		return
	}
	t.c.reset()
}

// progressor turns bytes sent into progress reports.
type progressor struct {
	doc  drivers.Document
	size int64
	fn   func(drivers.Progress)
	done int // sheets last reported
}

// start reports that the data transfer begins.
func (p *progressor) start() {
	p.fn(drivers.Progress{Sheets: p.doc.Sheets, State: "processing", Message: "sending"})
}

// report reports the sheets estimated done when the estimate grew.
func (p *progressor) report(sent int64) {
	if p.size <= 0 || p.doc.Sheets <= 0 {
		return
	}
	done := int(min(sent, p.size) * int64(p.doc.Sheets) / p.size)
	if done <= p.done {
		return
	}
	p.done = done
	p.fn(drivers.Progress{SheetsDone: done, Sheets: p.doc.Sheets, State: "processing", Message: "sending"})
}
