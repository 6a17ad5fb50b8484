package ipp

import (
	"log"
	"strings"

	"github.com/rs/zerolog"
)

// RefusedAuthentication counts requests refused for a wrong user name or
// password (the other reasons are package receiver's).
const RefusedAuthentication = "authentication"

// refuse logs and counts one refusal of peer (an address as net/http
// gives it).
func (s *Server) refuse(peer, reason, detail string) {
	s.guard.Refuse(peerAddr(peer), reason, detail)
}

// peerAddr is a peer's address as net/http gives it, as a net.Addr.
type peerAddr string

func (p peerAddr) Network() string { return "tcp" }
func (p peerAddr) String() string  { return string(p) }

// newHTTPErrorLog routes net/http's own messages (TLS handshake errors,
// timeouts) to the server's logger.
func newHTTPErrorLog(l zerolog.Logger) *log.Logger {
	return log.New(httpLogWriter{l}, "", 0)
}

type httpLogWriter struct{ l zerolog.Logger }

func (w httpLogWriter) Write(p []byte) (int, error) {
	w.l.Warn().Str("protocol", "ipp").Str("detail", strings.TrimSpace(string(p))).Msg("connection error")
	return len(p), nil
}
