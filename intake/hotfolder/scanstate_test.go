package hotfolder

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// scanNames scans at now and returns the base names offered.
func scanNames(t *testing.T, s *scanner, now time.Time) []string {
	t.Helper()
	arrivals, err := s.scan(now)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	var names []string
	for _, a := range arrivals {
		names = append(names, filepath.Base(a.Path))
	}
	return names
}

func TestScanRetryAfterHandlerError(t *testing.T) {
	s, _ := newTestScanner(t, Config{})
	write(t, s.cfg.Dir, "a.pdf", "x")
	write(t, s.cfg.Dir, "a.pdf.done", "")
	arrivals, err := s.scan(at(0))
	if err != nil || len(arrivals) != 1 {
		t.Fatalf("scan 0: %v, %v", arrivals, err)
	}
	s.settle(arrivals[0], errors.New("spool full"), at(0))
	// Not again before StableScans×ScanInterval, even with extra early scans.
	for _, now := range []time.Time{at(0).Add(time.Millisecond), at(1), at(2).Add(-time.Millisecond)} {
		if got := scanNames(t, s, now); len(got) != 0 {
			t.Fatalf("offered %q at %v, inside the retry delay", got, now.Sub(at(0)))
		}
	}
	// A change to the file does not cut the delay short.
	appendTo(t, s.cfg.Dir, "a.pdf", "y")
	if got := scanNames(t, s, at(2).Add(-time.Millisecond/2)); len(got) != 0 {
		t.Fatalf("offered %q after a change inside the retry delay", got)
	}
	if got := scanNames(t, s, at(2)); len(got) != 1 || got[0] != "a.pdf" {
		t.Fatalf("after the retry delay: offered %q, want a.pdf", got)
	}
}

func TestScanTakenFileLeftBehind(t *testing.T) {
	s, logs := newTestScanner(t, Config{})
	write(t, s.cfg.Dir, "a.pdf", "x")
	write(t, s.cfg.Dir, "a.pdf.done", "")
	arrivals, err := s.scan(at(0))
	if err != nil || len(arrivals) != 1 {
		t.Fatalf("scan 0: %v, %v", arrivals, err)
	}
	s.settle(arrivals[0], nil, at(0)) // the handler "succeeded" but left the file
	for k := 1; k < 5; k++ {
		if got := scanNames(t, s, at(k)); len(got) != 0 {
			t.Fatalf("scan %d: offered %q again", k, got)
		}
	}
	if n := strings.Count(logs.String(), "still present after it was handed over"); n != 1 {
		t.Errorf("warning logged %d times, want once:\n%s", n, logs)
	}
	appendTo(t, s.cfg.Dir, "a.pdf", "new content")
	if got := scanNames(t, s, at(5)); len(got) != 1 {
		t.Errorf("changed file not offered again: %q", got)
	}
}

func TestScanOrphanDoneFileLoggedOnce(t *testing.T) {
	s, logs := newTestScanner(t, Config{})
	write(t, s.cfg.Dir, "x.pdf.done", "")
	for k := range 4 {
		if got := scanNames(t, s, at(k)); len(got) != 0 {
			t.Fatalf("scan %d offered %q", k, got)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "done-file without its print file"); n != 1 {
		t.Fatalf("orphan warning logged %d times, want once:\n%s", n, out)
	}
	for _, field := range []string{`"dir":"` + s.cfg.Dir + `"`, `"file":"x.pdf.done"`} {
		if !strings.Contains(out, field) {
			t.Errorf("log lacks %s:\n%s", field, out)
		}
	}
	// The print file arriving late is taken with it.
	write(t, s.cfg.Dir, "x.pdf", "x")
	if got := scanNames(t, s, at(4)); len(got) != 1 || got[0] != "x.pdf" {
		t.Errorf("offered %q, want x.pdf", got)
	}
}

func TestScanEarlyScansDoNotHurryStability(t *testing.T) {
	s, _ := newTestScanner(t, Config{})
	write(t, s.cfg.Dir, "a.pdf", "x")
	// Many event-triggered scans in quick succession see the file unchanged.
	for i := range 10 {
		now := at(0).Add(time.Duration(i) * 50 * time.Millisecond)
		if got := scanNames(t, s, now); len(got) != 0 {
			t.Fatalf("offered %q after %v", got, now.Sub(at(0)))
		}
	}
	if got := scanNames(t, s, at(1)); len(got) != 0 {
		t.Fatalf("offered %q after one interval", got)
	}
	if got := scanNames(t, s, at(2)); len(got) != 1 {
		t.Fatalf("not offered after two intervals: %q", got)
	}
}

func TestScanTimerSlack(t *testing.T) {
	// A late first scan must not cost an extra interval for small delays.
	s, _ := newTestScanner(t, Config{})
	write(t, s.cfg.Dir, "a.pdf", "x")
	late := testInterval / 10
	scanNames(t, s, at(0).Add(late))
	scanNames(t, s, at(1))
	if got := scanNames(t, s, at(2)); len(got) != 1 {
		t.Fatalf("not offered at the second tick after a late first scan: %q", got)
	}
}

func TestScanForgetsGoneFiles(t *testing.T) {
	outside := t.TempDir()
	sidecar := func(path string) []string {
		return []string{filepath.Join(outside, filepath.Base(path)+".json")}
	}
	s, _ := newTestScanner(t, Config{Companions: sidecar})
	for _, n := range []string{"a.pdf", "b.pdf", "c.pdf.done", ".hidden"} {
		write(t, s.cfg.Dir, n, "x")
	}
	write(t, outside, "a.pdf.json", "{}")
	scanNames(t, s, at(0))
	if n := len(s.entries); n != 5 {
		t.Fatalf("remembers %d files, want 5 (4 in the folder, 1 sidecar)", n)
	}
	for _, n := range []string{"a.pdf", "b.pdf", "c.pdf.done", ".hidden"} {
		if err := os.Remove(filepath.Join(s.cfg.Dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	scanNames(t, s, at(1))
	if n := len(s.entries); n != 0 {
		t.Errorf("remembers %d files after all left, want 0: %v", n, s.entries)
	}
}

func TestScanCompanionOutsideFolder(t *testing.T) {
	outside := t.TempDir()
	sidecar := func(path string) []string {
		return []string{filepath.Join(outside, filepath.Base(path)+".json"), "relative.csv"}
	}
	s, _ := newTestScanner(t, Config{Companions: sidecar, RequireCompanion: true, IgnoreExts: []string{".csv"}})
	write(t, s.cfg.Dir, "a.pdf", "x")
	write(t, s.cfg.Dir, "relative.csv", "x")
	write(t, outside, "a.pdf.json", "{")
	scanNames(t, s, at(0))
	appendTo(t, outside, "a.pdf.json", "}")
	scanNames(t, s, at(1))
	scanNames(t, s, at(2))
	arrivals, err := s.scan(at(3))
	if err != nil || len(arrivals) != 1 {
		t.Fatalf("scan 3: %v, %v", arrivals, err)
	}
	want := []string{filepath.Join(outside, "a.pdf.json"), filepath.Join(s.cfg.Dir, "relative.csv")}
	if got := arrivals[0].Companions; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("companions %q, want %q", got, want)
	}
}

func TestScanMissingDir(t *testing.T) {
	s, _ := newTestScanner(t, Config{Dir: filepath.Join(t.TempDir(), "gone")})
	if _, err := s.scan(at(0)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("scan of a missing folder: %v, want ErrNotExist", err)
	}
}
