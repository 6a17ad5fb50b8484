package config

import (
	"os"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Size
	}{
		{"1024", 1024}, {"512MiB", 512 << 20}, {"2GiB", 2 << 30}, {"2 GiB", 2 << 30}, {"500MB", 500e6}, {"10B", 10}, {"0", 0},
	} {
		got, err := ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "big", "-1", "1.5GiB", "GiB", "99999999999TiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) succeeded", bad)
		}
	}
	if s := Size(3 << 30).String(); s != "3GiB" {
		t.Errorf("String = %q", s)
	}
}

func TestMaxUpload(t *testing.T) {
	if got := Default().API.MaxUpload; got != DefaultMaxUpload {
		t.Errorf("default max_upload = %v, want %v", got, DefaultMaxUpload)
	}
	c, err := Parse([]byte("version: 1\napi: {max_upload: 64MiB}\n"))
	if err != nil || c.API.MaxUpload != 64<<20 {
		t.Fatalf("max_upload 64MiB: %v, %v", c.API.MaxUpload, err)
	}
	_, err = Parse([]byte("version: 1\napi:\n  max_upload: lots\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), `"lots" is not a size`) {
		t.Errorf("bad max_upload: %v", err)
	}
}

func TestFilePrinterMode(t *testing.T) {
	parse := func(mode string) (*Config, error) {
		return Parse([]byte("version: 1\nprinters:\n  - {name: f, driver: file, file: {dir: out" + mode + "}}\n" +
			"workflows:\n  - {name: w, printer: f}\n"))
	}
	for _, tt := range []struct {
		mode string
		want os.FileMode
	}{{"", 0o640}, {", mode: \"0600\"", 0o600}, {", mode: 0644", 0o644}, {", mode: \"0o660\"", 0o660}} {
		c, err := parse(tt.mode)
		if err != nil {
			t.Fatalf("mode %q: %v", tt.mode, err)
		}
		if got := c.Printers[0].File.FileMode(); got != tt.want {
			t.Errorf("mode %q: FileMode = %o, want %o", tt.mode, got, tt.want)
		}
	}
	for _, bad := range []string{", mode: \"0999\"", ", mode: \"01777\"", ", mode: rw-r-----"} {
		_, err := parse(bad)
		if err == nil || !strings.Contains(err.Error(), `printer "f": file.mode`) {
			t.Errorf("mode %q: error %v, want one naming file.mode", bad, err)
		}
	}
}
