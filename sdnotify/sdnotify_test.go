package sdnotify

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// fakeSystemd listens where $NOTIFY_SOCKET points, as systemd does.
func fakeSystemd(t *testing.T, path string) *net.UnixConn {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return conn
}

func receive(t *testing.T, conn *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("reading the notify socket: %v", err)
	}
	return string(buf[:n])
}

func TestNotifyPathAndAbstractSockets(t *testing.T) {
	for _, path := range []string{
		filepath.Join(t.TempDir(), "notify"),
		"@omsd-sdnotify-test-" + strconv.Itoa(os.Getpid()),
	} {
		conn := fakeSystemd(t, path)
		for _, state := range []string{Ready, Watchdog, ReloadingState(1500 * time.Millisecond), Stopping} {
			sent, err := Notify(state)
			if !sent || err != nil {
				t.Fatalf("%s: Notify(%q) = %v, %v", path, state, sent, err)
			}
			if got := receive(t, conn); got != state {
				t.Errorf("%s: systemd received %q, want %q", path, got, state)
			}
		}
	}
}

func TestNotifyWithoutSystemd(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	if sent, err := Notify(Ready); sent || err != nil {
		t.Errorf("Notify without NOTIFY_SOCKET = %v, %v; want false, nil", sent, err)
	}
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "gone"))
	if sent, err := Notify(Ready); sent || !errors.Is(err, ErrNotify) {
		t.Errorf("Notify to a missing socket = %v, %v; want ErrNotify", sent, err)
	}
	t.Setenv("NOTIFY_SOCKET", "relative")
	if _, err := Notify(Ready); !errors.Is(err, ErrNotify) {
		t.Errorf("Notify to a relative name = %v; want ErrNotify", err)
	}
}

func TestReloadingState(t *testing.T) {
	if got, want := ReloadingState(1500*time.Millisecond), "RELOADING=1\nMONOTONIC_USEC=1500000"; got != want {
		t.Errorf("ReloadingState = %q, want %q", got, want)
	}
}

func TestWatchdogInterval(t *testing.T) {
	me := strconv.Itoa(os.Getpid())
	tests := []struct {
		usec, pid string
		want      time.Duration
		ok        bool
	}{
		{"", "", 0, false},
		{"30000000", "", 30 * time.Second, true},
		{"30000000", me, 30 * time.Second, true},
		{"30000000", "1", 0, false},
		{"0", me, 0, false},
		{"x", me, 0, false},
	}
	for _, tt := range tests {
		t.Setenv("WATCHDOG_USEC", tt.usec)
		t.Setenv("WATCHDOG_PID", tt.pid)
		got, ok := WatchdogInterval()
		if got != tt.want || ok != tt.ok {
			t.Errorf("USEC=%q PID=%q: %v, %v; want %v, %v", tt.usec, tt.pid, got, ok, tt.want, tt.ok)
		}
	}
}
