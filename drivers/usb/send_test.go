package usb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/omsd/omsd/drivers"
)

// writeDoc writes data into a new file and returns a document for it.
func writeDoc(t *testing.T, data []byte, sheets int) drivers.Document {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.prn")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return drivers.Document{JobID: 7, Path: path, Name: "doc", Sheets: sheets}
}

// pattern returns n bytes that differ from chunk to chunk.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>10)
	}
	return b
}

// recorder collects progress reports; it is safe for concurrent use.
type recorder struct {
	mu      sync.Mutex
	reports []drivers.Progress
}

func (r *recorder) add(p drivers.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reports = append(r.reports, p)
}

func (r *recorder) all() []drivers.Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]drivers.Progress(nil), r.reports...)
}

func TestSendChunks(t *testing.T) {
	tests := []struct {
		name       string
		size, take int // document size, bytes the printer takes per transfer
		chunk      int
		wantChunks []int
	}{
		{"exact chunks", 4096, 0, 1024, []int{1024, 1024, 1024, 1024}},
		{"short last chunk", 2500, 0, 1024, []int{1024, 1024, 452}},
		{"printer takes less per transfer", 2048, 700, 1024, []int{700, 324, 700, 324}},
		{"one byte", 1, 0, 1024, []int{1}},
		{"empty document", 0, 0, 1024, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := virtualPrinter()
			dev.maxTake = tt.take
			d, b := newFakeDriver(t, Config{Match: "0525:a4a8", ChunkSize: tt.chunk}, dev)
			data := pattern(tt.size)
			var rec recorder
			out, err := d.Send(context.Background(), writeDoc(t, data, 4), rec.add)
			if out != drivers.OK || err != nil {
				t.Fatalf("Send = %v, %v", out, err)
			}
			if !bytes.Equal(dev.received(), data) {
				t.Errorf("printer got %d bytes, not the document's %d", len(dev.received()), len(data))
			}
			if !equalInts(dev.chunks, tt.wantChunks) {
				t.Errorf("transfers %v, want %v", dev.chunks, tt.wantChunks)
			}
			reports := rec.all()
			if last := reports[len(reports)-1]; last.State != "completed" || last.SheetsDone != 4 {
				t.Errorf("last progress %+v, want completed 4 sheets", last)
			}
			if !dev.balanced() || b.closed != 1 {
				t.Errorf("opens/closes %d/%d, sessions closed %d", dev.opens, dev.closes, b.closed)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSendProgressByBytes(t *testing.T) {
	dev := virtualPrinter()
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8", ChunkSize: 1000}, dev)
	var rec recorder
	if out, err := d.Send(context.Background(), writeDoc(t, pattern(10000), 5), rec.add); out != drivers.OK {
		t.Fatalf("Send = %v, %v", out, err)
	}
	var done []int
	for _, p := range rec.all() {
		done = append(done, p.SheetsDone)
	}
	// 5 sheets over 10 chunks: a report each time the estimate grows.
	if want := []int{1, 2, 3, 4, 5, 5}; !equalInts(done, want) {
		t.Errorf("sheets done %v, want %v", done, want)
	}
	if msg := rec.all()[0].Message; msg != "2000 of 10000 bytes sent" {
		t.Errorf("first message %q", msg)
	}
}

func TestSendOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		match   string
		setup   func(*fakePrinter)
		bus     func(*fakeBus)
		want    drivers.Outcome
		wantErr []error
		sent    int // bytes the printer must have taken
	}{
		{name: "paper empty before sending", setup: func(p *fakePrinter) { p.port = byte(PortNotError | PortSelected | PortPaperEmpty) },
			want: drivers.StopQueue, wantErr: []error{ErrPaperEmpty}},
		{name: "error line only warns", setup: func(p *fakePrinter) { p.port = byte(PortSelected) },
			want: drivers.OK, sent: 5000},
		{name: "offline only warns", setup: func(p *fakePrinter) { p.port = byte(PortNotError) },
			want: drivers.OK, sent: 5000},
		{name: "no port status", setup: func(p *fakePrinter) { p.noPort = true },
			want: drivers.OK, sent: 5000},
		{name: "stall mid-job", setup: func(p *fakePrinter) { p.failAfter, p.failErr = 2048, ErrStall },
			want: drivers.StopQueue, wantErr: []error{ErrStall}, sent: 2048},
		{name: "stall when paper runs out", setup: func(p *fakePrinter) {
			p.failAfter, p.failErr, p.paperOutAfterData = 1024, ErrStall, true
		}, want: drivers.StopQueue, wantErr: []error{ErrStall, ErrPaperEmpty}, sent: 1024},
		{name: "unplugged mid-job", setup: func(p *fakePrinter) { p.failAfter, p.failErr = 3000, ErrGone },
			want: drivers.Retry, wantErr: []error{ErrGone}, sent: 3000},
		{name: "other I/O error", setup: func(p *fakePrinter) { p.failAfter, p.failErr = 0, errors.New("libusb: i/o error") },
			want: drivers.Retry},
		{name: "not attached", match: "04b8:0e28", want: drivers.Retry, wantErr: []error{ErrNotFound, drivers.ErrUnreachable}},
		{name: "no device id match", match: "1284:MFG:OMS;MDL:OtherPrinter", want: drivers.Retry, wantErr: []error{ErrNotFound, drivers.ErrUnreachable}},
		{name: "serial differs", match: "0525:a4a8:OMS0002", want: drivers.Retry, wantErr: []error{ErrNotFound}},
		{name: "held by another program", setup: func(p *fakePrinter) { p.openErr = ErrBusy }, want: drivers.Retry, wantErr: []error{ErrBusy}},
		{name: "permission denied", setup: func(p *fakePrinter) { p.openErr = ErrAccess }, want: drivers.StopQueue, wantErr: []error{ErrAccess}},
		{name: "enumeration fails", bus: func(b *fakeBus) { b.listErr = errors.New("libusb: no mem") }, want: drivers.Retry, wantErr: []error{drivers.ErrUnreachable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := virtualPrinter()
			if tt.setup != nil {
				tt.setup(dev)
			}
			match := tt.match
			if match == "" {
				match = "1284:MFG:OMS;MDL:VirtualPrinter"
			}
			d, b := newFakeDriver(t, Config{Match: match, ChunkSize: 1024}, dev)
			if tt.bus != nil {
				tt.bus(b)
			}
			out, err := d.Send(context.Background(), writeDoc(t, pattern(5000), 2), nil)
			if out != tt.want {
				t.Fatalf("Send = %v, %v; want %v", out, err, tt.want)
			}
			for _, w := range tt.wantErr {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not wrap %v", err, w)
				}
			}
			if got := len(dev.received()); got != tt.sent {
				t.Errorf("printer took %d bytes, want %d", got, tt.sent)
			}
			if !dev.balanced() {
				t.Errorf("opens %d, closes %d", dev.opens, dev.closes)
			}
		})
	}
}

func TestSendCancel(t *testing.T) {
	dev := virtualPrinter()
	dev.block = true
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8", ChunkSize: 1024, Timeout: time.Minute}, dev)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	out, err := d.Send(ctx, writeDoc(t, pattern(5000), 1), nil)
	if out != drivers.Cancel || !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, %v; want cancel", out, err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("cancel took %s", time.Since(start))
	}
	if !dev.balanced() {
		t.Errorf("opens %d, closes %d", dev.opens, dev.closes)
	}
}

func TestSendCanceledBefore(t *testing.T) {
	dev := virtualPrinter()
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8"}, dev)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := d.Send(ctx, writeDoc(t, pattern(100), 1), nil)
	if out != drivers.Cancel || err == nil {
		t.Fatalf("Send = %v, %v; want cancel", out, err)
	}
	if len(dev.received()) != 0 {
		t.Errorf("printer took %d bytes of a canceled job", len(dev.received()))
	}
}

func TestSendTimeout(t *testing.T) {
	dev := virtualPrinter()
	dev.block = true
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8", ChunkSize: 1024, Timeout: 50 * time.Millisecond}, dev)
	out, err := d.Send(context.Background(), writeDoc(t, pattern(5000), 1), nil)
	if out != drivers.StopQueue || !errors.Is(err, ErrTimeout) {
		t.Fatalf("Send = %v, %v; want stop-queue with ErrTimeout", out, err)
	}
}

func TestSendBadDocument(t *testing.T) {
	dev := virtualPrinter()
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8"}, dev)
	for _, path := range []string{filepath.Join(t.TempDir(), "missing.prn"), t.TempDir()} {
		out, err := d.Send(context.Background(), drivers.Document{Path: path}, nil)
		if out != drivers.Failed || !errors.Is(err, ErrSource) {
			t.Errorf("Send(%s) = %v, %v; want failed with ErrSource", path, out, err)
		}
	}
	if dev.opens != 0 {
		t.Errorf("printer opened %d times for unreadable documents", dev.opens)
	}
}

func TestSendOneAtATime(t *testing.T) {
	dev := virtualPrinter()
	dev.block = true
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8", ChunkSize: 1024, Timeout: time.Minute}, dev)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan drivers.Outcome)
	go func() {
		out, _ := d.Send(ctx, writeDoc(t, pattern(5000), 1), nil)
		first <- out
	}()
	waitFor(t, func() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.active != nil })
	out, err := d.Send(context.Background(), writeDoc(t, pattern(10), 1), nil)
	if out != drivers.Retry || !errors.Is(err, ErrBusy) {
		t.Errorf("second Send = %v, %v; want retry with ErrBusy", out, err)
	}
	cancel()
	if out := <-first; out != drivers.Cancel {
		t.Errorf("first Send = %v, want cancel", out)
	}
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}

// TestCopyChecksSize has the document end before its size: the printer
// did not get the whole document, so the copy is not complete.
func TestCopyChecksSize(t *testing.T) {
	w := &chunkWriter{conn: &fakeConn{dev: &fakePrinter{}}, chunk: 1024, timeout: time.Second,
		size: 4096, doc: drivers.Document{Sheets: 4}, progress: func(drivers.Progress) {}}
	if err := w.copy(context.Background(), bytes.NewReader(pattern(3000))); !errors.Is(err, ErrSource) {
		t.Fatalf("copy of 3000 bytes of a 4096-byte document: %v, want ErrSource", err)
	}
}
