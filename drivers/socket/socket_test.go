package socket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/internal/testpeer"
)

// newDriver returns a driver for host:port with short timeouts.
func newDriver(t *testing.T, host string, port int, cfg Config) *Driver {
	t.Helper()
	cfg.Host, cfg.Port = host, port
	if cfg.WaitClose == 0 {
		cfg.WaitClose = 5 * time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	d, err := New(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// writeDoc writes data into a new file and returns its path.
func writeDoc(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// binaryBlob is every byte value, repeated to n bytes or a bit more.
func binaryBlob(n int) []byte {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	return bytes.Repeat(all, n/256+1)
}

func TestSendToSocat(t *testing.T) {
	p := testpeer.StartSocketPeer(t)
	d := newDriver(t, p.Host, p.Port, Config{})
	docs := []struct {
		data   []byte
		sheets int
	}{
		{testpeer.PDF(2), 2},
		{binaryBlob(4 << 20), 50},
	}
	for i, doc := range docs {
		var reports []drivers.Progress
		out, err := d.Send(context.Background(), drivers.Document{JobID: int64(i), Path: writeDoc(t, doc.data), Sheets: doc.sheets},
			func(p drivers.Progress) { reports = append(reports, p) })
		if out != drivers.OK || err != nil {
			t.Fatalf("Send = %v, %v; want ok", out, err)
		}
		checkProgress(t, reports, doc.sheets)
		jobs := p.WaitJobs(t, i+1)
		got, err := os.ReadFile(jobs[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, doc.data) {
			t.Errorf("job %d: %d bytes differ from the %d sent", i, len(got), len(doc.data))
		}
	}
}

// checkProgress checks reports never go back and end with all sheets done.
func checkProgress(t *testing.T, reports []drivers.Progress, sheets int) {
	t.Helper()
	if len(reports) < 2 {
		t.Fatalf("progress reports %+v, want some while sending and one at the end", reports)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].SheetsDone < reports[i-1].SheetsDone {
			t.Errorf("progress went back: %+v", reports)
		}
	}
	if last := reports[len(reports)-1]; last.SheetsDone != sheets || last.Sheets != sheets || last.State != "completed" {
		t.Errorf("last progress %+v, want %d of %d sheets, completed", last, sheets, sheets)
	}
}

// tookRE reads the bytes a printer took from an error message.
var tookRE = regexp.MustCompile(`after (?:taking )?(\d+) of (\d+) bytes`)

func TestSendPeerResets(t *testing.T) {
	const resetAfter, size = 1 << 20, 16 << 20
	p := testpeer.StartResetPeer(t, resetAfter)
	d := newDriver(t, p.Host, p.Port, Config{})
	out, err := d.Send(context.Background(), drivers.Document{JobID: 1, Path: writeDoc(t, make([]byte, size))}, nil)
	if out != drivers.Retry || !errors.Is(err, drivers.ErrUnreachable) {
		t.Fatalf("Send = %v, %v; want retry, unreachable", out, err)
	}
	m := tookRE.FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("error %q does not say how many bytes the printer took", err)
	}
	took, _ := strconv.Atoi(m[1])
	// The peer's kernel acknowledged what the peer read and what waited
	// in its 64 KiB receive buffer.
	if took < resetAfter || took > resetAfter+1<<20 || m[2] != strconv.Itoa(size) {
		t.Errorf("error says the printer took %s of %s bytes; it read %d of %d", m[1], m[2], resetAfter, size)
	}
}

func TestSendRefused(t *testing.T) {
	d := newDriver(t, "127.0.0.1", testpeer.FreePort(t), Config{})
	out, err := d.Send(context.Background(), drivers.Document{JobID: 1, Path: writeDoc(t, []byte("x"))}, nil)
	if out != drivers.Retry || !errors.Is(err, drivers.ErrUnreachable) {
		t.Errorf("Send = %v, %v; want retry, unreachable", out, err)
	}
	if st, err := d.Status(context.Background()); !errors.Is(err, drivers.ErrUnreachable) || st.State != "unknown" {
		t.Errorf("Status = %+v, %v; want unknown, unreachable", st, err)
	}
}

func TestSendWriteTimeout(t *testing.T) {
	p := testpeer.StartStalledPeer(t)
	d := newDriver(t, p.Host, p.Port, Config{WriteTimeout: 300 * time.Millisecond})
	out, err := d.Send(context.Background(), drivers.Document{JobID: 1, Path: writeDoc(t, make([]byte, 32<<20))}, nil)
	if out != drivers.Retry || !errors.Is(err, drivers.ErrUnreachable) || !strings.Contains(err.Error(), "took no data for 300ms") {
		t.Fatalf("Send = %v, %v; want retry, unreachable, took no data", out, err)
	}
	if !tookRE.MatchString(err.Error()) {
		t.Errorf("error %q does not say how many bytes the printer took", err)
	}
}

func TestSendCancel(t *testing.T) {
	p := testpeer.StartStalledPeer(t)
	d := newDriver(t, p.Host, p.Port, Config{WriteTimeout: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	out, err := d.Send(ctx, drivers.Document{JobID: 1, Path: writeDoc(t, make([]byte, 32<<20))}, nil)
	if out != drivers.Cancel || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send = %v, %v; want cancel", out, err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("Send returned after %v, not at the cancel", waited)
	}
}

func TestSendCancelToSocat(t *testing.T) {
	p := testpeer.StartSocketPeer(t)
	d := newDriver(t, p.Host, p.Port, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const size = 64 << 20
	doc := drivers.Document{JobID: 1, Path: writeDoc(t, make([]byte, size)), Sheets: 1000}
	out, err := d.Send(ctx, doc, func(drivers.Progress) { cancel() })
	if out != drivers.Cancel || !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, %v; want cancel", out, err)
	}
	time.Sleep(300 * time.Millisecond)
	if jobs := p.Jobs(t); len(jobs) != 0 {
		t.Errorf("peer stored %v after the connection was reset, want nothing", jobs)
	}
}

func TestStatus(t *testing.T) {
	p := testpeer.StartSocketPeer(t)
	st, err := newDriver(t, p.Host, p.Port, Config{}).Status(context.Background())
	if err != nil || st.State != "idle" || !st.AcceptingJobs {
		t.Fatalf("Status = %+v, %v; want idle, accepting", st, err)
	}
	time.Sleep(300 * time.Millisecond)
	if jobs := p.Jobs(t); len(jobs) != 0 {
		t.Errorf("Status made the printer store %v, want no data sent", jobs)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"minimal", Config{Host: "p"}, true},
		{"no host", Config{}, false},
		{"bad port", Config{Host: "p", Port: -1}, false},
		{"negative timeout", Config{Host: "p", WaitClose: -1}, false},
	}
	for _, tt := range tests {
		d, err := New(tt.cfg, zerolog.Nop())
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrConfig)) {
			t.Errorf("%s: New error %v, want ok=%v", tt.name, err, tt.ok)
			continue
		}
		if err == nil && (d.cfg.Port != DefaultPort || d.cfg.ConnectTimeout != DefaultConnectTimeout ||
			d.cfg.WriteTimeout != DefaultWriteTimeout || d.cfg.WaitClose != DefaultWaitClose) {
			t.Errorf("%s: defaults not filled: %+v", tt.name, d.cfg)
		}
	}
}

// resetAtEndPeer reads each connection to its end (the sender's
// half-close) and then resets it instead of closing: a printer that took
// the whole document and failed before it printed it.
func resetAtEndPeer(t *testing.T) (string, int) {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			io.Copy(io.Discard, c)
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return "127.0.0.1", l.Addr().(*net.TCPAddr).Port
}

// TestSendResetAfterData has the peer reset the connection after reading
// part or all of a small document, which its kernel had acknowledged
// whole: the send failed all the same.
func TestSendResetAfterData(t *testing.T) {
	const size = 8 << 10 // fits in the peer's receive buffer
	peers := map[string]func(t *testing.T) (string, int){
		"reads half": func(t *testing.T) (string, int) {
			p := testpeer.StartResetPeer(t, size/2)
			return p.Host, p.Port
		},
		"reads every byte": func(t *testing.T) (string, int) {
			p := testpeer.StartResetPeer(t, size)
			return p.Host, p.Port
		},
		"reads to the end": resetAtEndPeer,
	}
	for name, start := range peers {
		t.Run(name, func(t *testing.T) {
			host, port := start(t)
			d := newDriver(t, host, port, Config{})
			var last drivers.Progress
			out, err := d.Send(context.Background(), drivers.Document{JobID: 1, Path: writeDoc(t, binaryBlob(size)[:size]), Sheets: 4},
				func(p drivers.Progress) { last = p })
			if out != drivers.Retry || !errors.Is(err, drivers.ErrUnreachable) {
				t.Fatalf("Send = %v, %v; want retry, unreachable", out, err)
			}
			if !tookRE.MatchString(err.Error()) {
				t.Errorf("error %q does not say how many bytes the printer took", err)
			}
			if last.State == "completed" || last.Confirmed {
				t.Errorf("last progress %+v after a reset", last)
			}
		})
	}
}
