package socket

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"github.com/omsd/omsd/drivers"
)

// chunkSize is how much of the document is written between checks of the
// context and progress reports.
const chunkSize = 64 << 10

// maxBackChannelLog bounds how much of the printer's answer is logged.
const maxBackChannelLog = 256

// Send streams doc to the printer, reporting progress by bytes sent, then
// half-closes the connection and waits up to WaitClose for the printer to
// close it. Any error before that clean close (a reset while sending or
// after the last byte, a printer that stops reading for WriteTimeout)
// gives Retry with an error wrapping drivers.ErrUnreachable that tells
// how many bytes the printer took. If ctx ends before the printer took
// everything, the connection is reset and Send returns Cancel.
func (d *Driver) Send(ctx context.Context, doc drivers.Document, progress func(drivers.Progress)) (drivers.Outcome, error) {
	if progress == nil {
		progress = func(drivers.Progress) {}
	}
	f, size, err := openDocument(doc.Path)
	if err != nil {
		return drivers.Failed, err
	}
	defer f.Close()
	log := d.log.With().Int64("job", doc.JobID).Logger()
	c, err := d.dial(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return drivers.Cancel, err
		}
		return drivers.Retry, err
	}
	s := &session{c: c, ctx: ctx, cfg: d.cfg, addr: d.addr, size: size, log: log,
		pr: progressor{doc: doc, size: size, fn: progress}}
	stop := context.AfterFunc(ctx, s.interrupt)
	defer stop()
	if out, err := s.run(f); out != drivers.OK {
		c.SetLinger(0) // a reset tells the printer the job is incomplete
		c.Close()
		return out, err
	}
	c.Close()
	progress(drivers.Progress{SheetsDone: doc.Sheets, Sheets: doc.Sheets, State: "completed", Message: "taken by the printer"})
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

// session is one document's connection.
type session struct {
	c    *net.TCPConn
	ctx  context.Context
	cfg  Config
	addr string
	size int64
	sent int64
	log  zerolog.Logger
	pr   progressor
	mu   sync.Mutex // orders deadline changes with the interrupt
}

// run sends the document and waits for the printer to close.
func (s *session) run(src io.Reader) (drivers.Outcome, error) {
	if err := s.stream(src); err != nil {
		return s.failure(err)
	}
	if err := s.c.CloseWrite(); err != nil {
		return s.failure(err)
	}
	if err := s.drain(); err != nil {
		// Any error before a clean close after the last byte (a reset,
		// most often) fails the send, even when the printer's TCP stack
		// had acknowledged every byte: data in a receive buffer is not
		// data printed.
		return s.failure(err)
	}
	if took := s.took(); took < s.size {
		return drivers.Retry, fmt.Errorf("%w: socket: printer at %s closed the connection after taking %d of %d bytes",
			drivers.ErrUnreachable, s.addr, took, s.size)
	}
	return drivers.OK, nil
}

// stream writes the document, each chunk within WriteTimeout.
func (s *session) stream(src io.Reader) error {
	buf := make([]byte, chunkSize)
	for s.sent < s.size {
		n, rerr := src.Read(buf[:min(int64(len(buf)), s.size-s.sent)])
		if n > 0 {
			if err := s.arm(s.cfg.WriteTimeout); err != nil {
				return err
			}
			w, err := s.c.Write(buf[:n])
			s.sent += int64(w)
			if err != nil {
				return err
			}
			s.pr.report(s.sent)
		}
		switch {
		case errors.Is(rerr, io.EOF) && s.sent < s.size:
			return fmt.Errorf("%w: document shrank to %d of %d bytes while it was sent", ErrSource, s.sent, s.size)
		case rerr != nil && !errors.Is(rerr, io.EOF):
			return fmt.Errorf("%w: %w", ErrSource, rerr)
		}
	}
	return nil
}

// drain reads and discards what the printer sends back until it closes
// the connection or WaitClose passes; a printer that keeps the connection
// open is logged, not an error.
func (s *session) drain() error {
	if err := s.arm(s.cfg.WaitClose); err != nil {
		return err
	}
	buf := make([]byte, 4096)
	var got int64
	for {
		n, err := s.c.Read(buf)
		if n > 0 && got < maxBackChannelLog {
			s.log.Debug().Str("data", string(buf[:min(n, maxBackChannelLog)])).Msg("printer sent data back")
		}
		got += int64(n)
		var ne net.Error
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &ne) && ne.Timeout() && s.ctx.Err() == nil:
			s.log.Warn().Dur("wait_close", s.cfg.WaitClose).Msg("printer did not close the connection; taking the document as delivered")
			return nil
		case err != nil:
			return err
		}
	}
}

// failure chooses the outcome and error for a failed transfer.
func (s *session) failure(err error) (drivers.Outcome, error) {
	took := s.took()
	var ne net.Error
	switch {
	case s.ctx.Err() != nil:
		return drivers.Cancel, fmt.Errorf("socket: job canceled after the printer took %d of %d bytes: %w", took, s.size, s.ctx.Err())
	case errors.Is(err, ErrSource):
		return drivers.Failed, err
	case errors.As(err, &ne) && ne.Timeout():
		return drivers.Retry, fmt.Errorf("%w: socket: printer at %s took no data for %v, after %d of %d bytes: %w",
			drivers.ErrUnreachable, s.addr, s.cfg.WriteTimeout, took, s.size, err)
	case took >= s.size:
		return drivers.Retry, fmt.Errorf("%w: socket: printer at %s did not close the connection cleanly after taking %d of %d bytes: %w",
			drivers.ErrUnreachable, s.addr, took, s.size, err)
	default:
		return drivers.Retry, fmt.Errorf("%w: socket: printer at %s closed the connection after taking %d of %d bytes: %w",
			drivers.ErrUnreachable, s.addr, took, s.size, err)
	}
}

// took is how many bytes of the document the printer acknowledged, read
// from TCP_INFO; where the kernel cannot tell, the bytes written.
func (s *session) took() int64 {
	acked, ok := bytesAcked(s.c)
	if !ok {
		return s.sent
	}
	return min(acked, s.sent)
}

// bytesAcked reads the data bytes the peer acknowledged. Linux counts the
// SYN in tcpi_bytes_acked (and the FIN, which the caller's cap on bytes
// written removes).
func bytesAcked(c *net.TCPConn) (int64, bool) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, false
	}
	var info *unix.TCPInfo
	var ierr error
	if err := rc.Control(func(fd uintptr) {
		info, ierr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil || ierr != nil {
		return 0, false
	}
	return max(int64(info.Bytes_acked)-1, 0), true
}

// interrupt makes blocked and later reads and writes fail at once.
func (s *session) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c.SetDeadline(time.Unix(1, 0))
}

// arm sets the deadline of the next step, unless ctx has ended.
func (s *session) arm(limit time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ctx.Err(); err != nil {
		return err
	}
	return s.c.SetDeadline(time.Now().Add(limit))
}

// progressor turns bytes sent into progress reports.
type progressor struct {
	doc  drivers.Document
	size int64
	fn   func(drivers.Progress)
	done int // sheets last reported
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
