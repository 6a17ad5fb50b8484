package receiver

import (
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
)

// Reasons a guard refuses a connection or a receiver refuses a job.
const (
	RefusedNotAllowed = "not-allowed"          // the peer is outside the allow-list
	RefusedTooMany    = "too-many-connections" // max_connections are being served
	RefusedTimeout    = "timeout"              // the peer was silent too long
	RefusedTooLarge   = "too-large"            // a document above max_document
	RefusedQueue      = "unknown-queue"        // no such queue and no default
	RefusedProtocol   = "protocol"             // the peer broke the protocol
	RefusedSpool      = "spool"                // the spool could not take the job
)

// Guard stands in front of a receiver's listener: it refuses peers outside
// the allow-list and connections above the limit, and logs and counts
// every refusal with the peer and reason.
type Guard struct {
	protocol string
	allow    []netip.Prefix
	slots    chan struct{}
	log      zerolog.Logger
	queues   []string

	mu       sync.Mutex
	address  string
	failure  string
	refused  map[string]int64
	accepted atomic.Int64
}

// NewGuard returns the guard of a protocol's listener serving queues.
func NewGuard(protocol string, allow []netip.Prefix, maxConns int, queues []string, log zerolog.Logger) *Guard {
	return &Guard{protocol: protocol, allow: allow, slots: make(chan struct{}, max(maxConns, 1)),
		queues: queues, log: log, refused: map[string]int64{}}
}

// Allowed reports whether addr is inside the allow-list.
func (g *Guard) Allowed(addr net.Addr) bool {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	for _, p := range g.allow {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Refuse logs and counts a refusal of peer for reason, with detail for
// the operator.
func (g *Guard) Refuse(peer net.Addr, reason, detail string) {
	g.mu.Lock()
	g.refused[reason]++
	g.mu.Unlock()
	g.log.Warn().Str("protocol", g.protocol).Str("peer", peer.String()).Str("reason", reason).Msg("refused: " + detail)
}

// Listen wraps ln: Accept returns only allowed connections within the
// limit (the others are closed, logged and counted), each holding a slot
// until it is closed.
func (g *Guard) Listen(ln net.Listener) net.Listener {
	g.mu.Lock()
	g.address = ln.Addr().String()
	g.mu.Unlock()
	return &guarded{Listener: ln, g: g}
}

// Failed records that the listener could not start, for the status.
func (g *Guard) Failed(address string, err error) {
	g.mu.Lock()
	g.address, g.failure = address, err.Error()
	g.mu.Unlock()
	g.log.Error().Err(err).Str("protocol", g.protocol).Str("address", address).
		Msg("the receiver is not listening; free the address or change listen in the configuration, then restart omsd")
}

// Status is the listener as omsctl status shows it.
func (g *Guard) Status() api.Listener {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := api.Listener{Protocol: g.protocol, Address: g.address, Error: g.failure, Queues: slices.Clone(g.queues),
		Open: len(g.slots), Accepted: g.accepted.Load()}
	if len(g.refused) > 0 {
		l.Refused = map[string]int64{}
		for k, v := range g.refused {
			l.Refused[k] = v
		}
	}
	return l
}

type guarded struct {
	net.Listener
	g *Guard
}

func (l *guarded) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if !l.g.Allowed(c.RemoteAddr()) {
			l.g.Refuse(c.RemoteAddr(), RefusedNotAllowed, "the peer is not in the allow-list; add its network to allow")
			c.Close()
			continue
		}
		select {
		case l.g.slots <- struct{}{}:
		default:
			l.g.Refuse(c.RemoteAddr(), RefusedTooMany, "max_connections are being served")
			c.Close()
			continue
		}
		l.g.accepted.Add(1)
		return &slotConn{Conn: c, g: l.g}, nil
	}
}

// slotConn gives its slot back when closed, once.
type slotConn struct {
	net.Conn
	g    *Guard
	once sync.Once
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { <-c.g.slots })
	return err
}
