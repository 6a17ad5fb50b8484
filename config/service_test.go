package config

import (
	"os"
	"strings"
	"testing"
)

func TestSocketMode(t *testing.T) {
	tests := []struct {
		yaml    string
		want    os.FileMode
		wantErr string
	}{
		{"", 0o600, ""},
		{"  socket_mode: \"0660\"\n", 0o660, ""},
		{"  socket_mode: \"0666\"\n", 0, "api.socket_mode is \"0666\""},
		{"  socket_mode: rw\n", 0, "api.socket_mode"},
	}
	for _, tt := range tests {
		c, err := Parse([]byte("version: 1\napi:\n  socket: x.sock\n" + tt.yaml))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want %q", tt.yaml, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.yaml, err)
		}
		if got := c.API.SocketFileMode(); got != tt.want {
			t.Errorf("%q: mode %o, want %o", tt.yaml, got, tt.want)
		}
	}
}

// TestPackagedConfigIsValid checks the configuration the packages install
// as /etc/omsd/omsd.yaml.
func TestPackagedConfigIsValid(t *testing.T) {
	c, err := Load("../packaging/files/omsd.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.StateDir != "/var/lib/omsd" || c.API.Socket != "/run/omsd/omsd.sock" || c.API.SocketFileMode() != 0o660 {
		t.Errorf("state_dir %q, socket %q mode %o; want /var/lib/omsd, /run/omsd/omsd.sock 0660", c.StateDir, c.API.Socket, c.API.SocketFileMode())
	}
}
