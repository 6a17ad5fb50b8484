package ipp

import (
	"log"
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/rs/zerolog"
)

// guardedListener refuses peers outside the allow-list and holds at most
// cap(slots) connections open at once: the next connection is accepted
// when one closes (it waits in the kernel's backlog meanwhile).
type guardedListener struct {
	net.Listener
	s     *Server
	slots chan struct{}
}

func (l *guardedListener) Accept() (net.Conn, error) {
	for {
		l.slots <- struct{}{}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.slots
			return nil, err
		}
		if reason := l.s.refusePeer(c.RemoteAddr()); reason != "" {
			l.s.refuse(c.RemoteAddr().String(), reason)
			c.Close()
			<-l.slots
			continue
		}
		return &slotConn{Conn: c, release: func() { <-l.slots }}, nil
	}
}

// slotConn gives its slot back once, when closed.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// refusePeer says why addr may not connect, or "" when it may.
func (s *Server) refusePeer(addr net.Addr) string {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return "peer address unreadable"
	}
	ip := ap.Addr().Unmap()
	for _, p := range s.allowed {
		if p.Contains(ip) {
			return ""
		}
	}
	return "not in receivers.ipp.allow_from"
}

// refusals counts what the server refused, by reason.
type refusals struct {
	mu sync.Mutex
	n  map[string]int64
}

// refuse logs and counts one refusal.
func (s *Server) refuse(peer, reason string) {
	s.log.Warn().Str("peer", peer).Str("reason", reason).Msg("ipp: refused")
	s.refusals.mu.Lock()
	defer s.refusals.mu.Unlock()
	if s.refusals.n == nil {
		s.refusals.n = map[string]int64{}
	}
	s.refusals.n[reason]++
}

// Refusals returns how many requests and connections were refused, by
// reason.
func (s *Server) Refusals() map[string]int64 {
	s.refusals.mu.Lock()
	defer s.refusals.mu.Unlock()
	out := make(map[string]int64, len(s.refusals.n))
	for k, v := range s.refusals.n {
		out[k] = v
	}
	return out
}

// newHTTPErrorLog routes net/http's own messages (TLS handshake errors,
// timeouts) to the server's logger.
func newHTTPErrorLog(l zerolog.Logger) *log.Logger {
	return log.New(httpLogWriter{l}, "", 0)
}

type httpLogWriter struct{ l zerolog.Logger }

func (w httpLogWriter) Write(p []byte) (int, error) {
	w.l.Warn().Str("detail", strings.TrimSpace(string(p))).Msg("ipp: connection error")
	return len(p), nil
}
