package lpd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/receiver"
)

// Errors of the receiver.
var (
	ErrProtocol = errors.New("lpd: protocol error")
	ErrTooLarge = errors.New("lpd: document too large")
)

// Reply codes, as LPRng sends them.
const (
	replyOK      = 0
	replyNoQueue = 1 // the queue does not exist or does not take jobs
	replyRetry   = 2 // temporarily unable: retry later
	replyFail    = 3 // refused: do not retry
)

// maxLine bounds a command or subcommand line.
const maxLine = 4096

// acceptBackoff is the pause after a failed accept (out of descriptors).
const acceptBackoff = 100 * time.Millisecond

// Jobs is what the receiver reads and does to omsd's jobs for the queue
// commands.
type Jobs interface {
	Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error)
	Cancel(ctx context.Context, id int64) (api.Job, error)
}

// Server is the LPD receiver.
type Server struct {
	cfg    *config.Config
	lpd    config.LPDReceiver
	stage  string // staging directory of files waiting for the rest of their job
	submit receiver.Submitter
	jobs   Jobs
	guard  *receiver.Guard
	log    zerolog.Logger

	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// New returns the receiver of cfg's receiver queues with the settings of
// receivers.lpd; files waiting for the rest of their job are kept in
// stage.
func New(cfg *config.Config, stage string, submit receiver.Submitter, jobs Jobs, log zerolog.Logger) (*Server, error) {
	l := cfg.Receivers.LPD
	allow, err := config.ParseAllow(l.Allow)
	if err != nil {
		return nil, fmt.Errorf("lpd: allow: %w", err)
	}
	var queues []string
	for _, q := range cfg.ReceiverQueues() {
		queues = append(queues, q.Name)
	}
	log = log.With().Str("receiver", "lpd").Logger()
	return &Server{cfg: cfg, lpd: l, stage: stage, submit: submit, jobs: jobs, log: log,
		guard: receiver.NewGuard("lpd", allow, l.MaxConnections, queues, log), conns: map[net.Conn]struct{}{}}, nil
}

// Guard is the receiver's guard, whose status omsctl status shows.
func (s *Server) Guard() *receiver.Guard { return s.guard }

// Run listens on the configured address and serves until ctx ends. An
// address it cannot listen on is logged and shown in the status; omsd's
// other intake carries on.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.lpd.Listen)
	if err != nil {
		s.guard.Failed(s.lpd.Listen, fmt.Errorf("lpd: listening on %s (receivers.lpd.listen): %w", s.lpd.Listen, err))
		return nil
	}
	return s.Serve(ctx, ln)
}

// Serve serves connections from ln until ctx ends; then it closes ln and
// every connection, whose unfinished jobs leave nothing.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.clearStage(); err != nil {
		ln.Close()
		return err
	}
	gl := s.guard.Listen(ln)
	s.log.Info().Str("address", ln.Addr().String()).Msg("LPD receiver listening")
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		s.closeAll()
	})
	defer stop()
	for {
		c, err := gl.Accept()
		if err != nil && ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
			// Out of file descriptors, say: wait a little, as net/http does.
			s.log.Warn().Err(err).Msg("accepting a connection; retried")
			time.Sleep(acceptBackoff)
			continue
		}
		if err != nil {
			wg.Wait()
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("lpd: %w", err)
		}
		if !s.track(c) {
			c.Close()
			continue
		}
		wg.Go(func() {
			defer s.untrack(c)
			s.serveConn(ctx, c)
		})
	}
}

func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	if s.conns != nil {
		delete(s.conns, c)
	}
	s.mu.Unlock()
	c.Close()
}

func (s *Server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
	s.conns = nil
}

// clearStage empties the staging directory: no file in it belonged to an
// acknowledged job.
func (s *Server) clearStage() error {
	if err := os.RemoveAll(s.stage); err != nil {
		return fmt.Errorf("lpd: clearing %s: %w", s.stage, err)
	}
	if err := os.MkdirAll(s.stage, 0o700); err != nil {
		return fmt.Errorf("lpd: %w", err)
	}
	return nil
}

// conn is one sender's connection.
type conn struct {
	s    *Server
	c    net.Conn
	r    *bufio.Reader
	idle *idleReader
	peer net.Addr
	log  zerolog.Logger
}

func (s *Server) serveConn(ctx context.Context, c net.Conn) {
	cn := &conn{s: s, c: c, peer: c.RemoteAddr(), log: s.log.With().Str("peer", c.RemoteAddr().String()).Logger()}
	cn.idle = &idleReader{c: c, idle: s.lpd.IdleTimeout.Std()}
	cn.r = bufio.NewReaderSize(cn.idle, 64<<10)
	line, err := cn.readLine()
	if err != nil {
		cn.fail(err, "reading the command")
		return
	}
	if len(line) == 0 {
		cn.refuse(receiver.RefusedProtocol, "an empty command line")
		return
	}
	cmd, args := line[0], string(line[1:])
	if cmd >= 3 && cmd <= 5 {
		c.SetWriteDeadline(time.Now().Add(s.lpd.IdleTimeout.Std()))
	}
	switch cmd {
	case 1:
		cn.log.Debug().Msg("print waiting jobs: omsd prints as soon as it can")
	case 2:
		cn.receive(ctx, args)
	case 3, 4:
		cn.queueState(ctx, args, cmd == 4)
	case 5:
		cn.remove(ctx, args)
	default:
		cn.refuse(receiver.RefusedProtocol, fmt.Sprintf("unknown command %#02x", cmd))
		cn.reply(replyFail, "unknown command")
	}
}

// readLine reads a line ending in LF, which must come whole within the
// idle timeout (a slow-loris sender is cut off), without the LF.
func (cn *conn) readLine() ([]byte, error) {
	cn.idle.line = time.Now().Add(cn.s.lpd.IdleTimeout.Std())
	defer func() { cn.idle.line = time.Time{} }()
	var line []byte
	for {
		b, err := cn.r.ReadByte()
		if err != nil {
			return nil, err
		}
		if b == '\n' {
			return line, nil
		}
		if len(line) >= maxLine {
			return nil, fmt.Errorf("%w: a line longer than %d bytes", ErrProtocol, maxLine)
		}
		line = append(line, b)
	}
}

// reply sends a reply code, and after a refusal a line saying why.
func (cn *conn) reply(code byte, msg string) error {
	cn.c.SetWriteDeadline(time.Now().Add(cn.s.lpd.IdleTimeout.Std()))
	b := []byte{code}
	if code != replyOK && msg != "" {
		b = append(b, msg+"\n"...)
	}
	_, err := cn.c.Write(b)
	return err
}

// refuse logs and counts a refusal.
func (cn *conn) refuse(reason, detail string) {
	cn.s.guard.Refuse(cn.peer, reason, detail)
}

// fail logs how a connection ended early: a timeout is counted as a
// refusal, a sender that closed is only logged.
func (cn *conn) fail(err error, doing string) {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		cn.refuse(receiver.RefusedTimeout, doing+": the sender was silent longer than receivers.lpd.idle_timeout")
	case errors.Is(err, ErrProtocol):
		cn.refuse(receiver.RefusedProtocol, doing+": "+err.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		cn.log.Debug().Err(err).Msg(doing + ": the connection closed")
	default:
		cn.log.Warn().Err(err).Msg(doing)
	}
}

// idleReader gives each read of the connection the idle timeout, or the
// earlier deadline of the line being read.
type idleReader struct {
	c    net.Conn
	idle time.Duration
	line time.Time // zero: no line is being read
}

func (r *idleReader) Read(p []byte) (int, error) {
	d := time.Now().Add(r.idle)
	if !r.line.IsZero() && r.line.Before(d) {
		d = r.line
	}
	r.c.SetReadDeadline(d)
	return r.c.Read(p)
}
