package testpeer

import (
	"bytes"
	"errors"
	"net"
	"os"
	"strconv"
	"testing"
	"time"
)

// rawSend connects to host:port, writes data and closes.
func rawSend(t *testing.T, host string, port int, data []byte) error {
	t.Helper()
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Write(data)
	return err
}

func TestSocketPeerKeepsJobs(t *testing.T) {
	p := StartSocketPeer(t)
	if err := rawSend(t, p.Host, p.Port, nil); err != nil { // a status check: no job
		t.Fatal(err)
	}
	docs := [][]byte{PDF(1), bytes.Repeat([]byte{0, 0xff, 0x1b}, 300_000)}
	for _, data := range docs {
		if err := rawSend(t, p.Host, p.Port, data); err != nil {
			t.Fatal(err)
		}
		p.WaitJobs(t, 1) // one at a time, so arrival order is known
	}
	jobs := p.WaitJobs(t, len(docs))
	if len(jobs) != len(docs) {
		t.Fatalf("jobs %v, want %d", jobs, len(docs))
	}
	for i, j := range jobs {
		got, err := os.ReadFile(j)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, docs[i]) {
			t.Errorf("%s: %d bytes differ from the %d sent", j, len(got), len(docs[i]))
		}
	}
	p.Stop()
	if c, err := net.DialTimeout("tcp", net.JoinHostPort(p.Host, strconv.Itoa(p.Port)), time.Second); err == nil {
		c.Close()
		t.Errorf("socat still listens after Stop")
	}
}

func TestResetPeer(t *testing.T) {
	p := StartResetPeer(t, 100_000)
	err := rawSend(t, p.Host, p.Port, make([]byte, 16<<20))
	if err == nil {
		t.Fatal("sending 16 MB to a peer that resets after 100 kB succeeded")
	}
	if got := p.Received(); got != 100_000 {
		t.Errorf("peer read %d bytes, want 100000", got)
	}
}

func TestStalledPeer(t *testing.T) {
	p := StartStalledPeer(t)
	c, err := net.DialTimeout("tcp", net.JoinHostPort(p.Host, strconv.Itoa(p.Port)), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
	_, err = c.Write(make([]byte, 16<<20))
	if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Errorf("write to a stalled peer: %v, want a timeout", err)
	}
	if p.Received() != 0 {
		t.Errorf("stalled peer read %d bytes", p.Received())
	}
}

func TestListening(t *testing.T) {
	const procNetTCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 0100007F:2385 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1
`
	tests := []struct {
		addr string
		want bool
	}{
		{"0100007F:2384", true},  // port 9092, listening
		{"0100007F:2385", false}, // established, not listening
		{"0100007F:1F90", false}, // absent
	}
	for _, tt := range tests {
		if got := listening(procNetTCP, tt.addr); got != tt.want {
			t.Errorf("listening(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}
