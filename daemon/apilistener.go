package daemon

import (
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// apiListener is the API's socket across reloads: each set of services
// serves on a session of it, which their HTTP server closes when they
// stop; the socket itself stays open, connections made meanwhile wait in
// its backlog, and the next session takes them. serve closes the socket.
type apiListener struct {
	*net.UnixListener
	handoff chan net.Conn // accepted as a session closed, for the next one
}

func newAPIListener(ln net.Listener) (*apiListener, error) {
	ul, ok := ln.(*net.UnixListener)
	if !ok {
		return nil, fmt.Errorf("local api: %T is not a unix socket", ln)
	}
	return &apiListener{UnixListener: ul, handoff: make(chan net.Conn, 16)}, nil
}

// session is a listener for one set of services.
func (l *apiListener) session() net.Listener {
	l.SetDeadline(time.Time{})
	return &apiSession{l: l}
}

type apiSession struct {
	l      *apiListener
	closed atomic.Bool
}

func (s *apiSession) Accept() (net.Conn, error) {
	select {
	case c := <-s.l.handoff:
		return c, nil
	default:
	}
	c, err := s.l.Accept()
	if !s.closed.Load() {
		return c, err
	}
	if err == nil {
		select {
		case s.l.handoff <- c:
		default:
			c.Close()
		}
	}
	return nil, net.ErrClosed
}

// Close ends the session's Accept, not the socket.
func (s *apiSession) Close() error {
	s.closed.Store(true)
	return s.l.SetDeadline(time.Unix(1, 0))
}

func (s *apiSession) Addr() net.Addr { return s.l.Addr() }
