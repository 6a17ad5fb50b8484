package diskspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestIsResource(t *testing.T) {
	wrap := func(e syscall.Errno) error {
		return fmt.Errorf("job 7: writing output: %w", &fs.PathError{Op: "write", Path: "/spool/jobs/7/out.pdf", Err: e})
	}
	tests := []struct {
		err  error
		want bool
		text string
	}{
		{wrap(syscall.ENOSPC), true, "no space left on /spool/jobs/7/out.pdf"},
		{wrap(syscall.EDQUOT), true, "disk quota exhausted on /spool/jobs/7/out.pdf"},
		{wrap(syscall.EROFS), true, "filesystem read-only on /spool/jobs/7/out.pdf"},
		{wrap(syscall.EIO), true, "input/output error on /spool/jobs/7/out.pdf"},
		{&os.LinkError{Op: "rename", Old: "/hot/a.pdf", New: "/spool/jobs/3/input.pdf", Err: syscall.ENOSPC}, true, "no space left on /spool/jobs/3/input.pdf"},
		{syscall.ENOSPC, true, "no space left"},
		{wrap(syscall.EACCES), false, "permission denied"},
		{wrap(syscall.ENOENT), false, "no such file"},
		{errors.New("pdf: truncated"), false, "pdf: truncated"},
		{nil, false, ""},
	}
	for _, tt := range tests {
		if got := IsResource(tt.err); got != tt.want {
			t.Errorf("IsResource(%v) = %v; want %v", tt.err, got, tt.want)
		}
		if tt.err != nil && !strings.Contains(Describe(tt.err), tt.text) {
			t.Errorf("Describe(%v) = %q; want it to contain %q", tt.err, Describe(tt.err), tt.text)
		}
	}
}

func TestParseWatermark(t *testing.T) {
	tests := []struct {
		in    string
		bytes uint64 // on a filesystem of 1 GiB
		bad   bool
	}{
		{"64MiB", 64 << 20, false},
		{"64 mib", 64 << 20, false},
		{"500MB", 500e6, false},
		{"1G", 1 << 30, false},
		{"1048576", 1 << 20, false},
		{"512k", 512 << 10, false},
		{"0", 0, false},
		{"2%", (1 << 30) / 50, false},
		{"0.5%", (1 << 30) / 200, false},
		{"100%", 0, true},
		{"-1MiB", 0, true},
		{"lots", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		w, err := ParseWatermark(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("ParseWatermark(%q) error %v; want error %v", tt.in, err, tt.bad)
			continue
		}
		if err == nil && w.For(1<<30) != tt.bytes {
			t.Errorf("ParseWatermark(%q).For(1GiB) = %d; want %d", tt.in, w.For(1<<30), tt.bytes)
		}
		if err != nil && !strings.Contains(err.Error(), "min_free") {
			t.Errorf("error %q does not name the key", err)
		}
	}
}

// TestGate walks the gate through a disk filling up, a failure, space
// returning, and a failure that space alone does not explain.
func TestGate(t *testing.T) {
	const mib = 1 << 20
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fs := func(free uint64) []Usage {
		return []Usage{{Path: "/spool", Dev: 1, Free: free * mib, Total: 100 * mib}}
	}
	g := NewGate(Watermark{Bytes: 4 * mib}, 30*time.Second)
	steps := []struct {
		name string
		fail bool // a resource error with this space
		free uint64
		at   time.Duration
		open bool
	}{
		{"plenty", false, 50, 0, true},
		{"below the watermark", false, 3, time.Second, false},
		{"above again", false, 10, 2 * time.Second, true},
		{"a write fails though space is above the watermark", true, 10, 3 * time.Second, false},
		{"the same space later", false, 10, 4 * time.Second, false},
		{"a temporary file removed", false, 10, 5 * time.Second, false},
		{"dropped below the watermark", false, 2, 6 * time.Second, false},
		{"freed, above the least seen", false, 8, 7 * time.Second, true},
		{"fails again", true, 8, 8 * time.Second, false},
		{"no growth, backoff passed", false, 8, 39 * time.Second, true},
	}
	opens := 0
	for _, s := range steps {
		now := t0.Add(s.at)
		if s.fail {
			g.Fail("no space left on /spool/jobs/1", fs(s.free), now)
		}
		was := g.State().Open
		if got := g.Update(fs(s.free), now); got != s.open {
			t.Fatalf("%s: open = %v; want %v (state %+v)", s.name, got, s.open, g.State())
		}
		if !was && s.open {
			opens++
		}
		st := g.State()
		if !st.Open && st.Reason == "" {
			t.Errorf("%s: closed without a reason", s.name)
		}
		if err := g.Ready(); (err == nil) != s.open || (err != nil && !errors.Is(err, ErrNotReady)) {
			t.Errorf("%s: Ready() = %v", s.name, err)
		}
	}
	if g.State().Opens != opens {
		t.Errorf("opens = %d; want %d", g.State().Opens, opens)
	}
}

func TestGateForget(t *testing.T) {
	us := []Usage{{Path: "/spool", Dev: 1, Free: 50 << 20, Total: 100 << 20}}
	now := time.Now()
	g := NewGate(Watermark{Bytes: 4 << 20}, time.Hour)
	g.Fail("input/output error on /spool/jobs/1", us, now)
	if g.Update(us, now) {
		t.Fatal("open right after a failure")
	}
	g.Forget()
	if !g.Update(us, now) {
		t.Fatal("closed after Forget with space above the watermark")
	}
	g.Fail("no space left on /spool/jobs/1", us, now)
	g.Forget()
	low := []Usage{{Path: "/spool", Dev: 1, Free: 1 << 20, Total: 100 << 20}}
	if g.Update(low, now) {
		t.Fatal("open after Forget with space below the watermark")
	}
}

// TestGateReadyFor: a gate closed for one filesystem lets writes to
// another through; one closed for no known filesystem lets none.
func TestGateReadyFor(t *testing.T) {
	spool := Usage{Path: "/spool", Dev: 1, Free: 1 << 20, Total: 100 << 20}
	out := Usage{Path: "/out", Dev: 2, Free: 50 << 20, Total: 100 << 20}
	g := NewGate(Watermark{Bytes: 4 << 20}, time.Hour)
	if g.Update([]Usage{out, spool}, time.Now()) {
		t.Fatal("open with /spool below the watermark")
	}
	if g.ReadyFor(1) == nil || g.ReadyFor(2) != nil {
		t.Errorf("closed for /spool: ReadyFor(spool) = %v, ReadyFor(out) = %v", g.ReadyFor(1), g.ReadyFor(2))
	}
	g = NewGate(Watermark{}, time.Hour)
	g.Fail("input/output error", []Usage{spool, out}, time.Now())
	if g.ReadyFor(2) == nil {
		t.Error("a failure on no known filesystem lets writes through")
	}
}

func TestGateReadOnly(t *testing.T) {
	g := NewGate(Watermark{}, time.Minute)
	if g.Update([]Usage{{Path: "/out", Dev: 2, Free: 1 << 30, Total: 1 << 31, ReadOnly: true}}, time.Now()) {
		t.Fatal("open on a read-only filesystem")
	}
	if r := g.State().Reason; !strings.Contains(r, "/out") || !strings.Contains(r, "read-only") {
		t.Errorf("reason %q", r)
	}
}

func TestNilMonitorIsReady(t *testing.T) {
	var m *Monitor
	m.Fail(syscall.ENOSPC)
	if m.Ready() != nil || m.ReadyFor("/x") != nil || !m.State().Open {
		t.Error("a nil Monitor is not ready")
	}
}

func TestStat(t *testing.T) {
	u, err := Stat(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if u.Total == 0 || u.Free > u.Total {
		t.Errorf("usage %+v", u)
	}
	if dev, ok := devOf(u.Path + "/jobs/7/.output.pdf.tmp"); !ok || dev != u.Dev {
		t.Errorf("devOf a file not yet there = %d %v; want its directory's %d", dev, ok, u.Dev)
	}
	if p := existing(u.Path + "/line1/in"); p != u.Path {
		t.Errorf("existing(a directory not yet made) = %s; want %s", p, u.Path)
	}
	if _, err := Stat("/nonexistent/omsd"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a missing path: %v", err)
	}
}
