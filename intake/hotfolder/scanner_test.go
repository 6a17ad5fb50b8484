package hotfolder

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

const testInterval = time.Second

var testEpoch = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

// at returns the time of the k-th regular scan.
func at(k int) time.Time { return testEpoch.Add(time.Duration(k) * testInterval) }

// newTestScanner returns a scanner on a fresh directory; cfg.Dir and a zero
// ScanInterval are filled in.
func newTestScanner(t *testing.T, cfg Config) (*scanner, *bytes.Buffer) {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	if cfg.ScanInterval == 0 {
		cfg.ScanInterval = testInterval
	}
	var buf bytes.Buffer
	s, err := newScanner(cfg, zerolog.New(&buf))
	if err != nil {
		t.Fatalf("newScanner: %v", err)
	}
	return s, &buf
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, dir, name, data string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// describe renders an Arrival as "name +done +companion...", base names only.
func describe(a Arrival) string {
	parts := []string{filepath.Base(a.Path)}
	if a.DoneFile != "" {
		parts = append(parts, "+"+filepath.Base(a.DoneFile))
	}
	for _, c := range a.Companions {
		parts = append(parts, "+"+filepath.Base(c))
	}
	return strings.Join(parts, " ")
}

// take plays a handler that succeeds: it removes the file, its done-file and
// its companions.
func take(t *testing.T, a Arrival) {
	t.Helper()
	for _, p := range append([]string{a.Path, a.DoneFile}, a.Companions...) {
		if p == "" {
			continue
		}
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
}

// jsonSidecar names "X.json" as the companion of "X.pdf".
func jsonSidecar(path string) []string {
	return []string{strings.TrimSuffix(path, filepath.Ext(path)) + ".json"}
}

type step struct {
	do   func(t *testing.T, dir string) // changes the folder before the scan
	want []string                       // describe() of what the scan offers
}

func writes(files ...string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		for _, f := range files {
			write(t, dir, f, "data of "+f)
		}
	}
}

func appends(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { appendTo(t, dir, name, "more") }
}

func TestScanSequence(t *testing.T) {
	none := []string(nil)
	tests := []struct {
		name  string
		cfg   Config
		steps []step
	}{
		{"stable after two unchanged scans", Config{}, []step{
			{writes("a.pdf"), none}, {nil, none}, {nil, []string{"a.pdf"}},
		}},
		{"three stable scans", Config{StableScans: 3}, []step{
			{writes("a.pdf"), none}, {nil, none}, {nil, none}, {nil, []string{"a.pdf"}},
		}},
		{"growing file waits", Config{}, []step{
			{writes("a.pdf"), none}, {appends("a.pdf"), none}, {appends("a.pdf"), none},
			{nil, none}, {nil, []string{"a.pdf"}},
		}},
		{"mtime change restarts", Config{}, []step{
			{writes("a.pdf"), none}, {nil, none},
			{func(t *testing.T, dir string) {
				if err := os.Chtimes(filepath.Join(dir, "a.pdf"), time.Time{}, testEpoch); err != nil {
					t.Fatal(err)
				}
			}, none},
			{nil, none}, {nil, []string{"a.pdf"}},
		}},
		{"replaced by another file of the same size", Config{}, []step{
			{writes("a.pdf"), none}, {nil, none},
			{func(t *testing.T, dir string) {
				p := filepath.Join(dir, "a.pdf")
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				write(t, dir, "b.tmp", "data of a.pdf")
				if err := os.Chtimes(filepath.Join(dir, "b.tmp"), fi.ModTime(), fi.ModTime()); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(filepath.Join(dir, "b.tmp"), p); err != nil {
					t.Fatal(err)
				}
			}, none},
			{nil, none}, {nil, []string{"a.pdf"}},
		}},
		{"name order", Config{}, []step{
			{writes("c.pdf", "a.pdf", "b.pdf"), none}, {nil, none},
			{nil, []string{"a.pdf", "b.pdf", "c.pdf"}},
		}},
		{"zero-byte file offered once stable", Config{}, []step{
			{func(t *testing.T, dir string) { write(t, dir, "empty.pdf", "") }, none},
			{nil, none}, {nil, []string{"empty.pdf"}},
		}},
		{"done-file takes at once", Config{}, []step{
			{writes("a.pdf", "a.pdf.done"), []string{"a.pdf +a.pdf.done"}},
		}},
		{"done-file arriving later", Config{}, []step{
			{writes("a.pdf"), none}, {writes("a.pdf.done"), []string{"a.pdf +a.pdf.done"}},
		}},
		{"done-file of a growing file", Config{}, []step{
			{writes("a.pdf"), none}, {appends("a.pdf"), none},
			{writes("a.pdf.done"), []string{"a.pdf +a.pdf.done"}},
		}},
		{"custom done suffix", Config{DoneSuffix: ".ok"}, []step{
			{writes("a.pdf", "a.pdf.done", "b.pdf", "b.pdf.ok"), []string{"b.pdf +b.pdf.ok"}},
			{nil, none}, {nil, []string{"a.pdf", "a.pdf.done"}}, // ".done" is no done-file here
		}},
		{"require done", Config{RequireDone: true}, []step{
			{writes("a.pdf"), none}, {nil, none}, {nil, none}, {nil, none},
			{writes("a.pdf.done"), []string{"a.pdf +a.pdf.done"}},
		}},
		{"orphan done-file ignored", Config{}, []step{
			{writes("x.pdf.done"), none}, {nil, none}, {nil, none},
		}},
		{"companion travels along", Config{Companions: jsonSidecar, IgnoreExts: []string{".json"}}, []step{
			{writes("a.pdf", "a.json", "b.pdf"), none}, {nil, none},
			{nil, []string{"a.pdf +a.json", "b.pdf"}},
		}},
		{"companion must be stable", Config{Companions: jsonSidecar, IgnoreExts: []string{"JSON"}}, []step{
			{writes("a.pdf"), none}, {writes("a.json"), none}, {appends("a.json"), none},
			{nil, none}, {nil, []string{"a.pdf +a.json"}},
		}},
		{"companion with done-file needs no wait", Config{Companions: jsonSidecar, IgnoreExts: []string{".json"}}, []step{
			{writes("a.pdf", "a.json", "a.pdf.done"), []string{"a.pdf +a.pdf.done +a.json"}},
		}},
		{"companion required", Config{Companions: jsonSidecar, RequireCompanion: true, IgnoreExts: []string{".json"}}, []step{
			{writes("a.pdf"), none}, {nil, none}, {nil, none}, {nil, none},
			{writes("a.json"), none}, {nil, none}, {nil, []string{"a.pdf +a.json"}},
		}},
		{"companion required with done-file", Config{Companions: jsonSidecar, RequireCompanion: true, IgnoreExts: []string{".json"}}, []step{
			{writes("a.pdf", "a.pdf.done"), none}, {nil, none},
			{writes("a.json"), []string{"a.pdf +a.pdf.done +a.json"}},
		}},
		{"lone sidecar is no input", Config{Companions: jsonSidecar, IgnoreExts: []string{".json"}}, []step{
			{writes("x.json"), none}, {nil, none}, {nil, none}, {nil, none},
		}},
		{"spaces and umlauts", Config{Pattern: "*.pdf"}, []step{
			{writes("Rechnung Müller März.pdf", "Überweisung Jänner.pdf", "Überweisung Jänner.pdf.done"),
				[]string{"Überweisung Jänner.pdf +Überweisung Jänner.pdf.done"}},
			{nil, none}, {nil, []string{"Rechnung Müller März.pdf"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestScanner(t, tt.cfg)
			for k, st := range tt.steps {
				if st.do != nil {
					st.do(t, s.cfg.Dir)
				}
				arrivals, err := s.scan(at(k))
				if err != nil {
					t.Fatalf("scan %d: %v", k, err)
				}
				var got []string
				for _, a := range arrivals {
					got = append(got, describe(a))
					if a.Workflow != tt.cfg.Workflow {
						t.Errorf("scan %d: workflow %q, want %q", k, a.Workflow, tt.cfg.Workflow)
					}
					take(t, a)
					s.settle(a, nil, at(k))
				}
				if !slices.Equal(got, st.want) {
					t.Fatalf("scan %d offered %q, want %q", k, got, st.want)
				}
			}
		})
	}
}

func TestScanIgnoresNames(t *testing.T) {
	names := []string{
		".hidden.pdf", "~lock.pdf", "a.pdf.tmp", "b.pdf.part", "c.partial", "d.pdf.crdownload",
		"E.PDF.PART", "F.TMP", "orphan.pdf.done", "x.json", "y.CSV",
	}
	s, _ := newTestScanner(t, Config{Pattern: "*.*", IgnoreExts: []string{".json", "csv"}})
	for _, n := range names {
		write(t, s.cfg.Dir, n, "x")
	}
	if err := os.Mkdir(filepath.Join(s.cfg.Dir, "sub.pdf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(s.cfg.Dir, "x.json"), filepath.Join(s.cfg.Dir, "link.pdf")); err != nil {
		t.Fatal(err)
	}
	write(t, s.cfg.Dir, "noext", "x") // no dot: does not match "*.*"
	write(t, s.cfg.Dir, "taken.pdf", "x")
	var got []string
	for k := range 5 {
		arrivals, err := s.scan(at(k))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arrivals {
			got = append(got, describe(a))
			take(t, a)
			s.settle(a, nil, at(k))
		}
	}
	if want := []string{"taken.pdf"}; !slices.Equal(got, want) {
		t.Errorf("offered %q, want only %q", got, want)
	}
}

func TestIsInput(t *testing.T) {
	cfg, err := Config{Dir: "/x", Pattern: "*.pdf", DoneSuffix: ".ready", IgnoreExts: []string{".json"}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want bool
	}{
		{"a.pdf", true},
		{"Rechnung Müller März.pdf", true},
		{"a.PDF", false}, // Pattern is case-sensitive
		{"a.pdf.ready", false},
		{".ready", false},
		{"a.pdf.done", false}, // no pattern match
		{".a.pdf", false},
		{"~a.pdf", false},
		{"a.tmp.pdf", true}, // the ending counts, not the middle
		{"a.json.pdf", true},
		{"a.pdf.json", false},
		{"a.pdf.Partial", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := cfg.isInput(tt.name); got != tt.want {
			t.Errorf("isInput(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestConfigInvalid(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no dir", Config{}},
		{"bad pattern", Config{Dir: "/x", Pattern: "[a"}},
		{"done suffix with slash", Config{Dir: "/x", DoneSuffix: "/done"}},
		{"companion required without function", Config{Dir: "/x", RequireCompanion: true}},
	}
	for _, tt := range tests {
		if _, err := tt.cfg.withDefaults(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: error %v, want ErrInvalidConfig", tt.name, err)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	cfg, err := Config{Dir: "/x/"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir != "/x" || cfg.Pattern != "*" || cfg.DoneSuffix != DefaultDoneSuffix ||
		cfg.StableScans != DefaultStableScans || cfg.ScanInterval != DefaultScanInterval {
		t.Errorf("defaults not applied: %+v", cfg)
	}
}
