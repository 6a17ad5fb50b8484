package socket

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/omsd/omsd/drivers"
)

// answeringPeer reads one connection to its end, writes answer back and
// then closes, or, with hold, keeps the connection open until the test
// ends. It returns its address and a channel with what it read.
func answeringPeer(t *testing.T, answer []byte, hold bool) (string, int, <-chan []byte) {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	release := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := l.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		data, _ := io.ReadAll(c)
		c.Write(answer)
		got <- data
		if hold {
			<-release
		}
	}()
	t.Cleanup(func() { close(release); l.Close(); <-done })
	return "127.0.0.1", l.Addr().(*net.TCPAddr).Port, got
}

func TestSendWaitsForClose(t *testing.T) {
	answer := bytes.Repeat([]byte("@PJL USTATUS DEVICE\r\nCODE=10001\r\n\f"), 1000)
	tests := []struct {
		name     string
		hold     bool
		minWait  time.Duration
		maxWait  time.Duration
		waitConf time.Duration
	}{
		{"printer answers and closes", false, 0, 5 * time.Second, 10 * time.Second},
		{"printer keeps the connection open", true, 400 * time.Millisecond, 5 * time.Second, 400 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port, got := answeringPeer(t, answer, tt.hold)
			d := newDriver(t, host, port, Config{WaitClose: tt.waitConf})
			data := binaryBlob(1 << 20)
			start := time.Now()
			out, err := d.Send(context.Background(), drivers.Document{JobID: 1, Path: writeDoc(t, data)}, nil)
			waited := time.Since(start)
			if out != drivers.OK || err != nil {
				t.Fatalf("Send = %v, %v; want ok", out, err)
			}
			if !bytes.Equal(<-got, data) {
				t.Errorf("peer got other data than sent")
			}
			if waited < tt.minWait || waited > tt.maxWait {
				t.Errorf("Send took %v, want between %v and %v", waited, tt.minWait, tt.maxWait)
			}
		})
	}
}
