package testpeer

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// faultRcvBuf is the receive buffer of a FaultPeer's connections. Small
// and fixed (no autotuning), so a sender notices a peer that stops
// reading after little data.
const faultRcvBuf = 16 << 10

// FaultPeer is an in-process TCP peer on 127.0.0.1 that misbehaves in a
// set way, for tests of faults a real printer shows rarely and on no
// schedule: resetting the connection in the middle of a job, or no
// longer reading.
type FaultPeer struct {
	Host string // 127.0.0.1
	Port int

	l        net.Listener
	received atomic.Int64
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
	closed   bool
}

// StartResetPeer starts a peer that reads n bytes of each connection and
// then resets it (SO_LINGER 0 and close), like a printer that fails in
// the middle of a job.
func StartResetPeer(t testing.TB, n int64) *FaultPeer {
	t.Helper()
	return startFaultPeer(t, func(c *net.TCPConn, p *FaultPeer) {
		got, _ := io.Copy(io.Discard, io.LimitReader(c, n))
		p.received.Add(got)
		c.SetLinger(0)
		c.Close()
	})
}

// StartStalledPeer starts a peer that accepts connections and never reads
// from them, like a printer that hangs; they are closed at cleanup.
func StartStalledPeer(t testing.TB) *FaultPeer {
	t.Helper()
	return startFaultPeer(t, func(*net.TCPConn, *FaultPeer) {})
}

// Stop stops listening and closes every connection, so another peer can
// take the port. It is safe to call more than once.
func (p *FaultPeer) Stop() { p.close() }

// Received is how many bytes the peer read, over all connections.
func (p *FaultPeer) Received() int64 { return p.received.Load() }

// startFaultPeer listens on a free loopback port and runs serve for every
// connection. Everything is closed in t.Cleanup.
func startFaultPeer(t testing.TB, serve func(*net.TCPConn, *FaultPeer)) *FaultPeer {
	t.Helper()
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, faultRcvBuf)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	l, err := lc.Listen(context.Background(), "tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testpeer: listen: %v", err)
	}
	p := &FaultPeer{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, l: l}
	p.wg.Add(1)
	go p.accept(serve)
	t.Cleanup(p.close)
	return p
}

// accept serves connections until the listener is closed.
func (p *FaultPeer) accept(serve func(*net.TCPConn, *FaultPeer)) {
	defer p.wg.Done()
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			return
		}
		p.conns = append(p.conns, c)
		p.wg.Add(1)
		p.mu.Unlock()
		go func() {
			defer p.wg.Done()
			serve(c.(*net.TCPConn), p)
		}()
	}
}

// close stops listening, closes every connection and waits for the
// goroutines.
func (p *FaultPeer) close() {
	p.l.Close()
	p.mu.Lock()
	p.closed = true
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
