package lpr

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/internal/testpeer"
)

// lpdDriver returns a driver for queue at the test server.
func lpdDriver(t *testing.T, l *testpeer.LPD, cfg Config) *Driver {
	t.Helper()
	cfg.Host, cfg.Port = l.Host, l.Port
	if cfg.Queue == "" {
		cfg.Queue = l.Queue
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	d, err := New(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// binaryBlob is every byte value, repeated to n bytes or a bit more.
func binaryBlob(n int) []byte {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	return bytes.Repeat(all, n/256+1)
}

func TestSendToLPRng(t *testing.T) {
	l := testpeer.StartLPD(t)
	tests := []struct {
		name   string
		cfg    Config
		doc    drivers.Document
		data   []byte
		format string // format LPRng records for the data file
	}{
		{"pdf", Config{}, drivers.Document{JobID: 1, Name: "Brief Müller", Sheets: 3}, testpeer.PDF(3), "l"},
		{"binary blob as PostScript", Config{Filetype: 'o', User: "batch"}, drivers.Document{JobID: 2, Name: "blob", Sheets: 40}, binaryBlob(3 << 20), "o"},
		{"reserved source port", Config{ReservedPort: true}, drivers.Document{JobID: 3, Name: "reserved", Sheets: 1}, []byte("small\x00job\n"), "l"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Hostname = "omstest"
			d := lpdDriver(t, l, tt.cfg)
			tt.doc.Path = writeDoc(t, tt.data)
			var reports []drivers.Progress
			out, err := d.Send(context.Background(), tt.doc, func(p drivers.Progress) { reports = append(reports, p) })
			if out != drivers.OK || err != nil {
				t.Fatalf("Send = %v, %v; want ok\n%s", out, err, l.Log())
			}
			checkProgress(t, reports, tt.doc.Sheets)
			paths := l.WaitJobs(t, i+1)
			got, err := os.ReadFile(paths[i])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Fatalf("%s: %d bytes differ from the %d sent", paths[i], len(got), len(tt.data))
			}
			job := l.Jobs(t, l.Queue)[i]
			checkJob(t, job, tt.doc, d.cfg, tt.format)
		})
	}
}

// checkJob checks the control file fields LPRng recorded for a job.
func checkJob(t *testing.T, job testpeer.LPDJob, doc drivers.Document, cfg Config, format string) {
	t.Helper()
	wantName := field(doc.Name, maxJobName)
	f := job.Fields
	if f["J"] != wantName || f["P"] != cfg.User || f["H"] != "omstest" || f["filenames"] != wantName {
		t.Errorf("job fields J %q, P %q, H %q, N %q; want %q, %q, omstest, %q", f["J"], f["P"], f["H"], f["filenames"], wantName, cfg.User, wantName)
	}
	if !strings.Contains(f["hfdatafiles"], "format="+format) {
		t.Errorf("data file recorded as %q, want format=%s", f["hfdatafiles"], format)
	}
	if cfg.ReservedPort {
		port, err := strconv.ParseInt(strings.TrimPrefix(f["remoteport"], "0x"), 16, 32)
		if err != nil || port < firstReservedPort || port >= firstReservedPort+reservedPorts {
			t.Errorf("job came from port %q, want 721-731", f["remoteport"])
		}
	}
}

// checkProgress checks reports never go back and end with all sheets done.
func checkProgress(t *testing.T, reports []drivers.Progress, sheets int) {
	t.Helper()
	if len(reports) == 0 {
		t.Fatal("no progress reported")
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

func TestSendRefusedByLPRng(t *testing.T) {
	l := testpeer.StartLPD(t)
	tests := []struct {
		queue string
		want  drivers.Outcome
		inErr string
	}{
		{"nosuch", drivers.Failed, "spool queue for 'nosuch' does not exist"},
		{testpeer.LPDClosedQueue, drivers.Retry, "spooling disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.queue, func(t *testing.T) {
			d := lpdDriver(t, l, Config{Queue: tt.queue})
			out, err := d.Send(context.Background(), drivers.Document{JobID: 1, Path: writeDoc(t, testpeer.PDF(1))}, nil)
			if out != tt.want || !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tt.inErr) {
				t.Fatalf("Send = %v, %v; want %v saying %q", out, err, tt.want, tt.inErr)
			}
			if !strings.Contains(err.Error(), "queue "+tt.queue) {
				t.Errorf("error %q does not name the queue", err)
			}
		})
	}
}

func TestLPRngNotRunning(t *testing.T) {
	l := testpeer.StartLPD(t)
	l.Stop()
	d := lpdDriver(t, l, Config{})
	out, err := d.Send(context.Background(), drivers.Document{JobID: 1, Path: writeDoc(t, []byte("x"))}, nil)
	if out != drivers.Retry || !errors.Is(err, drivers.ErrUnreachable) {
		t.Errorf("Send = %v, %v; want retry, unreachable", out, err)
	}
	if _, err := d.Status(context.Background()); !errors.Is(err, drivers.ErrUnreachable) {
		t.Errorf("Status error %v, want unreachable", err)
	}
}

func TestStatusOfLPRng(t *testing.T) {
	l := testpeer.StartLPD(t)
	held := lpdDriver(t, l, Config{Queue: testpeer.LPDStoppedQueue})
	if out, err := held.Send(context.Background(), drivers.Document{JobID: 1, Name: "waits", Path: writeDoc(t, []byte("x"))}, nil); out != drivers.OK {
		t.Fatalf("Send to the stopped queue = %v, %v", out, err)
	}
	l.WaitQueueJobs(t, testpeer.LPDStoppedQueue, 1)
	tests := []struct {
		queue     string
		state     string
		accepting bool
		info      string
	}{
		{testpeer.LPDQueue, "idle", true, "omsd@localhost 0 jobs"},
		{testpeer.LPDStoppedQueue, "stopped", true, "1 job (printing disabled)"},
		{testpeer.LPDClosedQueue, "idle", false, "(spooling disabled)"},
		{"nosuch", "stopped", false, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.queue, func(t *testing.T) {
			st, err := lpdDriver(t, l, Config{Queue: tt.queue}).Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.State != tt.state || st.AcceptingJobs != tt.accepting || !strings.Contains(st.Info, tt.info) {
				t.Errorf("Status = %+v; want %s, accepting %v, info with %q", st, tt.state, tt.accepting, tt.info)
			}
		})
	}
}

func TestCancelLargeTransfer(t *testing.T) {
	l := testpeer.StartLPD(t)
	d := lpdDriver(t, l, Config{})
	path := writeDoc(t, binaryBlob(50<<20))
	tests := []struct {
		name     string
		cancelAt func(drivers.Progress) bool
	}{
		// The first report comes before the data file subcommand: the
		// driver sends the abort subcommand.
		{"between subcommands", func(drivers.Progress) bool { return true }},
		// Later reports come while the data file is sent: the driver
		// resets the connection.
		{"in the data file", func(p drivers.Progress) bool { return p.SheetsDone > 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			reports := 0
			doc := drivers.Document{JobID: 9, Name: "big", Path: path, Sheets: 1000}
			out, err := d.Send(ctx, doc, func(p drivers.Progress) {
				if reports++; tt.cancelAt(p) {
					cancel()
				}
			})
			if out != drivers.Cancel || !errors.Is(err, context.Canceled) {
				t.Fatalf("Send = %v, %v; want cancel", out, err)
			}
			if reports > 3 {
				t.Errorf("%d progress reports, want the transfer to stop at the cancel", reports)
			}
			time.Sleep(500 * time.Millisecond) // time to file a job, if the server wrongly would
			if jobs := l.Jobs(t, l.Queue); len(jobs) != 0 {
				t.Errorf("server kept %d jobs after the cancel: %+v", len(jobs), jobs)
			}
			st, err := d.Status(context.Background())
			if err != nil || st.State != "idle" || !strings.Contains(st.Info, " 0 jobs") {
				t.Errorf("Status after the cancel = %+v, %v; want idle with 0 jobs", st, err)
			}
		})
	}
}
