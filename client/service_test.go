package client

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestPickSocket(t *testing.T) {
	dir := t.TempDir()
	local, service := filepath.Join(dir, "local.sock"), filepath.Join(dir, "service.sock")
	if got := pickSocket(local, service); got != local {
		t.Errorf("neither exists: %q, want the local default %q", got, local)
	}
	touch(t, service)
	if got := pickSocket(local, service); got != service {
		t.Errorf("only the service's exists: %q, want %q", got, service)
	}
	touch(t, local)
	if got := pickSocket(local, service); got != local {
		t.Errorf("both exist: %q, want the local %q", got, local)
	}
}

func TestTransportErrorAdvice(t *testing.T) {
	tests := []struct {
		socket string
		err    error
		want   string
	}{
		{"/srv/x.sock", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EACCES)}, "member of group omsd"},
		{ServiceSocketPath, &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ENOENT)}, "journalctl -u omsd"},
		{"omsd-data/omsd.sock", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, "go run ./cmd/omsd"},
	}
	for _, tt := range tests {
		err := (&Client{Socket: tt.socket}).transportError("GET", "/v1/status", tt.err)
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s, %v: %q, want it to say %q", tt.socket, tt.err, err, tt.want)
		}
	}
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}
