package hotfolder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// startWatch runs Watch in the background until the returned stop is called
// (or the test ends); stop returns Watch's result.
func startWatch(t *testing.T, cfg Config, handle func(context.Context, Arrival) error) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- Watch(ctx, cfg, zerolog.New(zerolog.NewTestWriter(t)), handle) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-result:
			case <-time.After(5 * time.Second):
				err = errors.New("Watch did not return within 5s of cancel")
			}
		})
		return err
	}
	t.Cleanup(func() {
		if err := stop(); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Watch: %v", err)
		}
	})
	return stop
}

// moveOut plays a handler that succeeds: it removes the file and its
// done-file, returning the file's content.
func moveOut(a Arrival) ([]byte, error) {
	data, err := os.ReadFile(a.Path)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(a.Path); err != nil {
		return nil, err
	}
	if a.DoneFile != "" {
		return data, os.Remove(a.DoneFile)
	}
	return data, nil
}

func TestWatchSlowWriter(t *testing.T) {
	dir := t.TempDir()
	const chunks, gap = 30, 100 * time.Millisecond // about 3 s of writing
	var full bytes.Buffer
	for i := range chunks {
		fmt.Fprintf(&full, "%%chunk %02d %s\n", i, strings.Repeat("x", 500))
	}
	type handed struct {
		data     []byte
		finished bool
	}
	var writerDone atomic.Bool
	got := make(chan handed, 4)
	startWatch(t, Config{Dir: dir, ScanInterval: 200 * time.Millisecond}, func(_ context.Context, a Arrival) error {
		finished := writerDone.Load()
		data, err := moveOut(a)
		got <- handed{data, finished}
		return err
	})

	f, err := os.Create(filepath.Join(dir, "slow.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := full.Len() / chunks
	for i := range chunks {
		if _, err := f.Write(full.Bytes()[i*chunk : (i+1)*chunk]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(gap)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	writerDone.Store(true)

	select {
	case h := <-got:
		if !h.finished {
			t.Fatalf("file handed over while still being written (%d of %d bytes)", len(h.data), full.Len())
		}
		if !bytes.Equal(h.data, full.Bytes()) {
			t.Fatalf("handed over %d bytes, want the full %d", len(h.data), full.Len())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("file not handed over within 5s of the writer finishing")
	}
	select {
	case h := <-got:
		t.Fatalf("handed over a second time (%d bytes)", len(h.data))
	case <-time.After(500 * time.Millisecond):
	}
}

func TestWatchRetriesAfterHandlerError(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.pdf", "x")
	write(t, dir, "a.pdf.done", "")
	cfg := Config{Dir: dir, ScanInterval: 100 * time.Millisecond}
	var (
		mu       sync.Mutex
		calls    []time.Time
		failedAt time.Time
	)
	succeeded := make(chan struct{})
	startWatch(t, cfg, func(_ context.Context, a Arrival) error {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, time.Now())
		if len(calls) == 1 {
			failedAt = time.Now()
			return errors.New("spool full")
		}
		if _, err := moveOut(a); err != nil {
			return err
		}
		close(succeeded)
		return nil
	})
	select {
	case <-succeeded:
	case <-time.After(5 * time.Second):
		t.Fatal("file not offered again within 5s of a handler error")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 2 {
		t.Fatalf("handler called %d times, want 2", len(calls))
	}
	if gap, min := calls[1].Sub(failedAt), 2*cfg.ScanInterval; gap < min {
		t.Errorf("offered again after %v, want at least %v", gap, min)
	}
}

func TestWatchSequentialInNameOrder(t *testing.T) {
	dir := t.TempDir()
	names := []string{"b.pdf", "Rechnung Müller März.pdf", "a b.pdf"}
	for _, n := range names {
		write(t, dir, n, n)
		write(t, dir, n+".done", "")
	}
	var inFlight, overlap atomic.Int32
	var mu sync.Mutex
	var order []string
	all := make(chan struct{})
	startWatch(t, Config{Dir: dir, ScanInterval: 10 * time.Second}, func(_ context.Context, a Arrival) error {
		if inFlight.Add(1) > 1 {
			overlap.Add(1)
		}
		defer inFlight.Add(-1)
		time.Sleep(20 * time.Millisecond)
		if _, err := moveOut(a); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		order = append(order, filepath.Base(a.Path))
		if len(order) == len(names) {
			close(all)
		}
		return nil
	})
	select {
	case <-all:
	case <-time.After(5 * time.Second):
		t.Fatal("not all files handed over within 5s")
	}
	if overlap.Load() != 0 {
		t.Error("handler called concurrently")
	}
	want := slices.Clone(names)
	slices.Sort(want)
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}
}

func TestWatchPromptPickup(t *testing.T) {
	dir, staging := t.TempDir(), t.TempDir()
	write(t, dir, "warmup.pdf", "")
	write(t, dir, "warmup.pdf.done", "")
	handed := make(chan string, 4)
	startWatch(t, Config{Dir: dir, ScanInterval: 10 * time.Second}, func(_ context.Context, a Arrival) error {
		_, err := moveOut(a)
		handed <- filepath.Base(a.Path)
		return err
	})
	select { // the first scan has run: Watch is watching
	case <-handed:
	case <-time.After(3 * time.Second):
		t.Fatal("warm-up file not handed over by the first scan")
	}

	name := "Rechnung Müller März.pdf"
	write(t, staging, name, "%PDF-1.7")
	write(t, staging, name+".done", "")
	start := time.Now()
	for _, n := range []string{name, name + ".done"} {
		if err := os.Rename(filepath.Join(staging, n), filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case got := <-handed:
		if got != name {
			t.Fatalf("handed over %q, want %q", got, name)
		}
		t.Logf("picked up after %v", time.Since(start))
	case <-time.After(3 * time.Second):
		t.Fatal("renamed-in file with done-file not handed over within 3s (scan interval 10s)")
	}
}

func TestWatchSkipsVanishedFile(t *testing.T) {
	var logs bytes.Buffer
	s, err := newScanner(Config{Dir: t.TempDir()}, zerolog.New(&logs))
	if err != nil {
		t.Fatal(err)
	}
	called := false
	l := &loop{s: s, handle: func(context.Context, Arrival) error { called = true; return nil }}
	l.offer(context.Background(), Arrival{Path: filepath.Join(s.cfg.Dir, "gone.pdf")})
	if called {
		t.Error("handler called for a file that is gone")
	}
	if strings.Contains(logs.String(), `"level":"warn"`) {
		t.Errorf("vanished file logged as a warning:\n%s", logs.String())
	}
}

func TestWatchStopsWithoutLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := filepath.Join(t.TempDir(), "created", "hot")
	handed := make(chan struct{}, 1)
	stop := startWatch(t, Config{Dir: dir, ScanInterval: 50 * time.Millisecond}, func(_ context.Context, a Arrival) error {
		_, err := moveOut(a)
		handed <- struct{}{}
		return err
	})
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Watch did not create the missing folder")
		}
		time.Sleep(10 * time.Millisecond)
	}
	write(t, dir, "a.pdf", "x")
	write(t, dir, "a.pdf.done", "")
	select {
	case <-handed:
	case <-time.After(3 * time.Second):
		t.Fatal("file not handed over")
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Watch returned %v, want context.Canceled", err)
	}
	for deadline := time.Now().Add(3 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Watch returned, %d before:\n%s",
				runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWatchStartErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cfg     Config
		invalid bool
	}{
		{"folder under a regular file", Config{Dir: filepath.Join(file, "hot")}, false},
		{"folder is a regular file", Config{Dir: file}, false},
		{"bad pattern", Config{Dir: t.TempDir(), Pattern: "[x"}, true},
		{"no folder", Config{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := Watch(ctx, tt.cfg, zerolog.New(zerolog.NewTestWriter(t)), func(context.Context, Arrival) error {
				t.Error("handler called")
				return nil
			})
			if err == nil || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Watch returned %v, want a start error", err)
			}
			if got := errors.Is(err, ErrInvalidConfig); got != tt.invalid {
				t.Errorf("errors.Is(%v, ErrInvalidConfig) = %v, want %v", err, got, tt.invalid)
			}
		})
	}
}

// TestWatchDeferredIsQuiet: a handler that defers a file (intake paused)
// gets it again later, and its retries are not warnings.
func TestWatchDeferredIsQuiet(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.pdf", "x")
	write(t, dir, "a.pdf.done", "")
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	taken := make(chan struct{})
	go Watch(ctx, Config{Dir: dir, ScanInterval: 50 * time.Millisecond}, zerolog.New(&logs).Level(zerolog.DebugLevel), func(_ context.Context, a Arrival) error {
		calls++
		if calls <= 3 {
			return fmt.Errorf("%w: intake paused: only 1 MiB free", ErrDeferred)
		}
		if _, err := moveOut(a); err != nil {
			return err
		}
		close(taken)
		return nil
	})
	select {
	case <-taken:
	case <-time.After(10 * time.Second):
		t.Fatal("a deferred file was not offered again")
	}
	cancel()
	out := logs.String()
	if strings.Contains(out, `"level":"warn"`) || strings.Count(out, "file deferred; offered again later") != 3 {
		t.Errorf("log of three deferrals:\n%s", out)
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
