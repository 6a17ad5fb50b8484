package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	if c.StateDir != "omsd-data" {
		t.Errorf("StateDir = %q", c.StateDir)
	}
	if got := c.Path(c.HotFolders[0].Dir); got != filepath.Join("omsd-data", "hot", "default") {
		t.Errorf("hot folder = %q", got)
	}
	p, ok := c.Printer(c.Workflows[0].Printer)
	if !ok || p.Driver != "file" || p.File.Dir != "out" {
		t.Errorf("default printer = %+v", p)
	}
	if w, err := c.Spool.Watermark(); err != nil || w.For(1<<30) != 16<<20 {
		t.Errorf("spool.min_free = %v, %v; want 16MiB", w, err)
	}
	h := c.HotFolders[0]
	if h.StableScans != 2 || time.Duration(h.ScanInterval) != 2*time.Second || h.DoneSuffix != ".done" {
		t.Errorf("hot folder defaults = %+v", h)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"unknown key names key and line", "version: 1\nprinters:\n  - name: f\n    driver: file\n    file:\n      dir: out\n      colour: red\n",
			[]string{`line 7`, `unknown key "colour"`}},
		{"unknown top-level key", "version: 1\nhotfolders: []\n", []string{`line 2`, `unknown key "hotfolders"`}},
		{"missing version", "state_dir: x\n", []string{"version is 0"}},
		{"future version", "version: 9\n", []string{"version is 9"}},
		{"bad duration", "version: 1\nspool:\n  retry_delay: soon\n", []string{"line 3", `"soon" is not a duration`}},
		{"bad min_free", "version: 1\nspool:\n  min_free: plenty\n", []string{`spool.min_free "plenty"`, "64MiB"}},
		{"workflow names missing printer", "version: 1\nworkflows:\n  - name: w\n    printer: nope\n", []string{`printer "nope" is not defined`}},
		{"hot folder names missing workflow", "version: 1\nhot_folders:\n  - dir: hot\n    workflow: nope\n", []string{`workflow "nope" is not defined`}},
		{"fixed needs pages", "version: 1\nprinters:\n  - {name: f, driver: file, file: {dir: o}}\nworkflows:\n  - {name: w, printer: f, pieces: {method: fixed}}\n",
			[]string{"pages_per_piece > 0"}},
		{"bad regexp", "version: 1\nprinters:\n  - {name: f, driver: file, file: {dir: o}}\nworkflows:\n  - {name: w, printer: f, pieces: {bookmark_pattern: \"(\"}}\n",
			[]string{"bookmark_pattern"}},
		{"ipp without uri", "version: 1\nprinters:\n  - {name: p, driver: ipp}\n", []string{"needs ipp.uri"}},
		{"ipp bad scheme", "version: 1\nprinters:\n  - {name: p, driver: ipp, ipp: {uri: \"lpd://h/q\"}}\n", []string{`scheme "lpd"`}},
		{"unknown driver", "version: 1\nprinters:\n  - {name: p, driver: fax}\n", []string{`driver is "fax"`}},
		{"duplicate printer", "version: 1\nprinters:\n  - {name: p, driver: file, file: {dir: a}}\n  - {name: p, driver: file, file: {dir: b}}\n", []string{"defined twice"}},
		{"several problems at once", "version: 1\nlog: {level: loud}\nprinters:\n  - {name: p, driver: fax}\n", []string{"log.level", `driver is "fax"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatal("Parse succeeded; want an error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "omsd.yaml")
	text := `version: 1
state_dir: /var/lib/omsd
printers:
  - name: laser
    driver: ipp
    ipp:
      uri: ipp://printer.example:631/ipp/print
      sides: two-sided-long-edge
      poll_interval: 500ms
workflows:
  - name: statements
    printer: laser
    duplex: true
    pieces:
      method: bookmarks
      bookmark_pattern: '^(?P<account>\d+) (?P<name>.*)$'
hot_folders:
  - dir: /srv/hot/statements
    workflow: statements
    require_done: true
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Path("spool"); got != "/var/lib/omsd/spool" {
		t.Errorf("Path = %q", got)
	}
	if got := c.Path("/srv/hot/statements"); got != "/srv/hot/statements" {
		t.Errorf("absolute Path = %q", got)
	}
	p, _ := c.Printer("laser")
	if time.Duration(p.IPP.PollInterval) != 500*time.Millisecond {
		t.Errorf("poll_interval = %v", p.IPP.PollInterval)
	}
	w, _ := c.Workflow("statements")
	if !w.Duplex || w.Pieces.Method != "bookmarks" {
		t.Errorf("workflow = %+v", w)
	}
}

func TestLoadNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("version: 1\nbogus: 1\n"), 0o644)
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("Load error = %v; want file name and line", err)
	}
}

func TestPostageSection(t *testing.T) {
	base := "version: 1\nprinters:\n  - {name: f, driver: file, file: {dir: o}}\nworkflows:\n  - name: w\n    printer: f\n    postage:\n"
	good := base + "      carrier: deutschepost\n      duplex: true\n      paper: {gsm: 80, width_mm: 210, height_mm: 297}\n      envelopes:\n        - {name: DL, max_sheets: 5, weight_g: 5, format: standard}\n        - {name: C4, max_sheets: 100, weight_g: 13, format: gross}\n"
	c, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := c.Workflow("w")
	if w.Postage == nil || w.Postage.Profile == nil {
		t.Fatalf("postage not prepared: %+v", w.Postage)
	}
	_, err = Parse([]byte(base + "      carrier: pony-express\n"))
	if err == nil || !strings.Contains(err.Error(), `workflow "w": postage`) {
		t.Errorf("unknown carrier: %v", err)
	}
	_, err = Parse([]byte(good + "      colour: blue\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown key "colour"`) {
		t.Errorf("unknown postage key: %v", err)
	}
}

func TestAFPSection(t *testing.T) {
	base := "version: 1\nprinters:\n  - {name: f, driver: file, file: {dir: o}}\nworkflows:\n  - name: w\n    printer: f\n    format: afp\n"
	if _, err := Parse([]byte(base + "    pieces: {method: tle, key: ACCOUNT}\n    afp: {code_page: 273, fields: {POSTCODE: postal_code}}\n")); err != nil {
		t.Fatal(err)
	}
	for yaml, want := range map[string]string{
		"    afp: {code_page: 9999}\n":      "afp.code_page 9999",
		"    pieces: {method: bookmarks}\n": "pieces.method",
		"    pieces: {method: tle}\n":       "pieces.key",
	} {
		if _, err := Parse([]byte(base + yaml)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", yaml, err, want)
		}
	}
}
