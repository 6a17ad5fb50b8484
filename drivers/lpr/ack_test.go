package lpr

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// writeDoc writes data into a new file and returns its path.
func writeDoc(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakeDriver returns a driver for the fake server's queue "q".
func fakeDriver(t *testing.T, f *fakeLPD, timeout time.Duration) *Driver {
	t.Helper()
	host, port := f.hostPort(t)
	d, err := New(Config{Host: host, Port: port, Queue: "q", Hostname: "client", Timeout: timeout}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSendAcks(t *testing.T) {
	tests := []struct {
		name    string
		fake    fakeLPD
		want    drivers.Outcome
		wantErr error
		inErr   string
	}{
		{"all acknowledged", fakeLPD{}, drivers.OK, nil, ""},
		{"unknown queue", fakeLPD{refuse: map[string]byte{stepReceive: 3}, message: "spool queue for 'q' does not exist\ncheck it\n"},
			drivers.Failed, ErrRefused, "receive job refused with code 3 (job rejected): spool queue for 'q' does not exist; check it"},
		{"spooling disabled", fakeLPD{refuse: map[string]byte{stepReceive: 2}, message: "q: spooling disabled\n"},
			drivers.Retry, ErrRefused, "spooling disabled"},
		{"stop queue (BSD lpd)", fakeLPD{refuse: map[string]byte{stepReceive: 1}},
			drivers.StopQueue, ErrRefused, "code 1"},
		{"control file refused", fakeLPD{refuse: map[string]byte{stepControl: 3}, message: "bad control file"},
			drivers.Failed, ErrRefused, "control file refused"},
		{"data file too large", fakeLPD{refuse: map[string]byte{stepDataCmd: 3}, message: "job too large"},
			drivers.Failed, ErrRefused, "data file subcommand refused"},
		{"data file refused for now", fakeLPD{refuse: map[string]byte{stepData: 2}},
			drivers.Retry, ErrRefused, "data file refused"},
		{"unknown code", fakeLPD{refuse: map[string]byte{stepControlCmd: 0x7f}},
			drivers.Retry, ErrRefused, "unknown code"},
		{"no answer", fakeLPD{stallAt: stepControl},
			drivers.Retry, drivers.ErrUnreachable, "wait for the answer to control file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake.start(t)
			d := fakeDriver(t, f, 300*time.Millisecond)
			data := []byte("%PDF-1.4 fake\x00\x1b")
			doc := drivers.Document{JobID: 5, Path: writeDoc(t, data), Name: "run 5", Sheets: 2}
			out, err := d.Send(context.Background(), doc, nil)
			if out != tt.want || (tt.wantErr == nil) != (err == nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("Send = %v, %v; want %v, %v", out, err, tt.want, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.inErr) {
				t.Errorf("error %q does not say %q", err, tt.inErr)
			}
			// A refused job is one the server keeps none of.
			if refused := errors.Is(err, ErrRefused); errors.Is(err, drivers.ErrNotSent) != refused {
				t.Errorf("error %v: not sent %v, want %v", err, !refused, refused)
			}
			got := <-f.got
			if got.queue != "q" {
				t.Errorf("queue %q, want q", got.queue)
			}
			if out == drivers.OK && (!bytes.Equal(got.data, data) || !bytes.Contains(got.control, []byte("\nJrun 5\n")) || got.err != "") {
				t.Errorf("server got data %q, control %q, error %q", got.data, got.control, got.err)
			}
		})
	}
}

func TestSendCancelAborts(t *testing.T) {
	f := (&fakeLPD{}).start(t)
	d := fakeDriver(t, f, 5*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	doc := drivers.Document{JobID: 1, Path: writeDoc(t, []byte("data")), Sheets: 1}
	// The first report comes after the control file was taken, before the
	// data file subcommand: the driver must abort between subcommands.
	out, err := d.Send(ctx, doc, func(drivers.Progress) { cancel() })
	if out != drivers.Cancel || !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, %v; want cancel", out, err)
	}
	got := <-f.got
	if !got.aborted || got.control == nil || got.data != nil {
		t.Errorf("server saw aborted=%v, control %q, data %q; want the abort subcommand after the control file", got.aborted, got.control, got.data)
	}
}

func TestSendCancelWhileWaiting(t *testing.T) {
	f := (&fakeLPD{stallAt: stepData}).start(t)
	d := fakeDriver(t, f, 30*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	out, err := d.Send(ctx, drivers.Document{JobID: 1, Path: writeDoc(t, []byte("data"))}, nil)
	if out != drivers.Cancel || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send = %v, %v; want cancel", out, err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("Send returned %v after the cancel, not at once", waited)
	}
	if got := <-f.got; got.aborted {
		t.Errorf("abort subcommand sent while the server owed an answer")
	}
}

func TestSendSourceErrors(t *testing.T) {
	d, err := New(Config{Host: "127.0.0.1", Port: 1, Queue: "q"}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"missing": filepath.Join(t.TempDir(), "gone"), "directory": t.TempDir()} {
		out, err := d.Send(context.Background(), drivers.Document{Path: path}, nil)
		if out != drivers.Failed || !errors.Is(err, ErrSource) {
			t.Errorf("%s: Send = %v, %v; want failed with ErrSource", name, out, err)
		}
	}
}

func TestParseQueueState(t *testing.T) {
	tests := []struct {
		name, text string
		state      string
		reason     string
		accepting  bool
		info       string
	}{
		{"lprng idle", "q@localhost 0 jobs\n", "idle", "none", true, "q@localhost 0 jobs"},
		{"lprng busy", "q@localhost 3 jobs\n", "processing", "none", true, "q@localhost 3 jobs"},
		{"lprng one job", "q@host 1 job\n", "processing", "none", true, "q@host 1 job"},
		{"lprng spooling disabled", "q@localhost 0 jobs (spooling disabled)\n", "idle", "none", false, "q@localhost 0 jobs (spooling disabled)"},
		{"lprng printing disabled", "q@localhost 1 job (printing disabled)\n", "stopped", "paused", true, "q@localhost 1 job (printing disabled)"},
		{"lprng unknown queue", "Printer: x@localhost - ERROR: spool queue for 'x' does not exist on server localhost\ncheck for correct printer name\n",
			"stopped", "other", false, "Printer: x@localhost - ERROR: spool queue for 'x' does not exist on server localhost; check for correct printer name"},
		{"bsd empty", "no entries\n", "idle", "none", true, "no entries"},
		{"bsd printing", "lp is ready and printing\nRank   Owner      Job  Files      Total Size\nactive root       12   a.pdf      1234 bytes\n1st    root       13   b.pdf      99 bytes\n",
			"processing", "none", true, "lp is ready and printing"},
		{"bsd down", "Warning: lp is down: paper jam\nno entries\n", "stopped", "paused", true, "Warning: lp is down: paper jam"},
		{"bsd queuing off", "Warning: lp queue is turned off\nno entries\n", "idle", "none", false, "Warning: lp queue is turned off"},
		{"bsd unknown printer", "lpd: x: unknown printer\n", "stopped", "other", false, "lpd: x: unknown printer"},
		{"empty", "", "unknown", "", false, "empty queue state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := ParseQueueState(tt.text)
			reason := strings.Join(st.Reasons, ",")
			if st.State != tt.state || reason != tt.reason || st.AcceptingJobs != tt.accepting || st.Info != tt.info {
				t.Errorf("ParseQueueState = %+v; want state %s, reason %q, accepting %v, info %q", st, tt.state, tt.reason, tt.accepting, tt.info)
			}
		})
	}
}
