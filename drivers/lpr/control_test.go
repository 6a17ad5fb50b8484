package lpr

import (
	"errors"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

func TestControlFile(t *testing.T) {
	tests := []struct {
		name string
		cf   controlFile
		want string
	}{
		{"plain",
			controlFile{Number: 7, Host: "omshost", User: "omsd", JobName: "run 1", Source: "run 1", Filetype: 'l'},
			"Homshost\nPomsd\nJrun 1\nldfA007omshost\nUdfA007omshost\nNrun 1\n"},
		{"banner",
			controlFile{Number: 123, Host: "h", User: "u", JobName: "j", Source: "j", Filetype: 'l', Banner: true},
			"Hh\nPu\nJj\nCh\nLu\nldfA123h\nUdfA123h\nNj\n"},
		{"pr with title",
			controlFile{Number: 999, Host: "h", User: "u", JobName: "report", Source: "report", Title: "report", Filetype: 'p'},
			"Hh\nPu\nJreport\nTreport\npdfA999h\nUdfA999h\nNreport\n"},
		{"title only for pr",
			controlFile{Number: 1, Host: "h", User: "u", JobName: "j", Source: "j", Title: "t", Filetype: 'o'},
			"Hh\nPu\nJj\nodfA001h\nUdfA001h\nNj\n"},
		{"number modulo 1000",
			controlFile{Number: 1042, Host: "h", User: "u", JobName: "j", Source: "j", Filetype: 'f'},
			"Hh\nPu\nJj\nfdfA042h\nUdfA042h\nNj\n"},
		{"line breaks and non-ASCII replaced",
			controlFile{Number: 2, Host: "h", User: "u", JobName: "Brief\nMüller\x00", Source: "a\rb", Filetype: 'l'},
			"Hh\nPu\nJBrief_M_ller_\nldfA002h\nUdfA002h\nNa_b\n"},
		{"long values cut",
			controlFile{Number: 3, Host: strings.Repeat("h", 31), User: "u", JobName: strings.Repeat("j", 150), Source: strings.Repeat("n", 200), Filetype: 'l'},
			"H" + strings.Repeat("h", 31) + "\nPu\nJ" + strings.Repeat("j", 99) + "\nldfA003" + strings.Repeat("h", 15) +
				"\nUdfA003" + strings.Repeat("h", 15) + "\nN" + strings.Repeat("n", 131) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.cf.Bytes()); got != tt.want {
				t.Errorf("control file\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestFileNames(t *testing.T) {
	cf := controlFile{Number: 5, Host: "print-server.example.com"}
	if got, want := cf.ControlName(), "cfA005print-server.ex"; got != want {
		t.Errorf("ControlName = %q, want %q", got, want)
	}
	if got, want := cf.DataName(), "dfA005print-server.ex"; got != want {
		t.Errorf("DataName = %q, want %q", got, want)
	}
}

func TestNewControlFile(t *testing.T) {
	d, err := New(Config{Host: "h", Queue: "q", Hostname: "me", Filetype: 'p', Banner: true}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	got := string(d.newControlFile(drivers.Document{JobID: 9, Path: "/spool/9.pdf"}, 10).Bytes())
	want := "Hme\nPomsd\nJomsd job 9\nCme\nLomsd\nTomsd job 9\npdfA010me\nUdfA010me\nNomsd job 9\n"
	if got != want {
		t.Errorf("control file %q, want %q", got, want)
	}
}

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"minimal", Config{Host: "printer", Queue: "lp"}, true},
		{"all set", Config{Host: "p", Port: 1515, Queue: "raw", User: "batch", Hostname: "oms-1", Filetype: 'o', Timeout: 5}, true},
		{"no host", Config{Queue: "lp"}, false},
		{"no queue", Config{Host: "p"}, false},
		{"queue with space", Config{Host: "p", Queue: "my queue"}, false},
		{"queue with newline", Config{Host: "p", Queue: "lp\n\x01"}, false},
		{"bad port", Config{Host: "p", Queue: "lp", Port: 70000}, false},
		{"long user", Config{Host: "p", Queue: "lp", User: strings.Repeat("u", 32)}, false},
		{"hostname with slash", Config{Host: "p", Queue: "lp", Hostname: "a/b"}, false},
		{"long hostname", Config{Host: "p", Queue: "lp", Hostname: strings.Repeat("h", 32)}, false},
		{"bad filetype", Config{Host: "p", Queue: "lp", Filetype: 'x'}, false},
		{"negative timeout", Config{Host: "p", Queue: "lp", Timeout: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(tt.cfg, zerolog.Nop())
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrConfig)) {
				t.Fatalf("New error %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				return
			}
			c := d.cfg
			if c.Port == 0 || c.User == "" || c.Hostname == "" || c.Filetype == 0 || c.Timeout == 0 {
				t.Errorf("defaults not filled: %+v", c)
			}
			if tt.cfg.Port == 0 && c.Port != DefaultPort || tt.cfg.Filetype == 0 && c.Filetype != 'l' {
				t.Errorf("wrong defaults: %+v", c)
			}
		})
	}
}

func TestJobNumbersCycle(t *testing.T) {
	d, err := New(Config{Host: "h", Queue: "q"}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for range 2000 {
		n := d.jobNumber()
		if n < 0 || n > 999 {
			t.Fatalf("job number %d out of 0-999", n)
		}
		seen[n] = true
	}
	if len(seen) != 1000 {
		t.Errorf("%d distinct job numbers in 2000 jobs, want all 1000", len(seen))
	}
}
