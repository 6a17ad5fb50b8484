package daemon

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/version"
)

// TestNotifiesSystemd runs omsd as systemd would start it, with a fake
// NOTIFY_SOCKET and a watchdog: READY=1 comes once the API answers, then
// WATCHDOG=1 pings, RELOADING=1 and READY=1 around a reload, and
// STOPPING=1 at the stop. The socket has the
// configured mode.
func TestNotifiesSystemd(t *testing.T) {
	dir := t.TempDir()
	notify, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: filepath.Join(dir, "notify"), Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer notify.Close()
	t.Setenv("NOTIFY_SOCKET", filepath.Join(dir, "notify"))
	t.Setenv("WATCHDOG_USEC", "100000")
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))

	cfg := config.Default()
	cfg.StateDir = filepath.Join(dir, "state")
	cfg.API.SocketMode = "0660"
	hup := make(chan os.Signal, 1)
	reload := WithReload(func() (*config.Config, error) { return cfg, nil }, hup)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, zerolog.Nop(), reload) }()
	defer func() {
		cancel()
		<-done
	}()

	next := func() string {
		t.Helper()
		buf := make([]byte, 4096)
		notify.SetReadDeadline(time.Now().Add(30 * time.Second))
		n, err := notify.Read(buf)
		if err != nil {
			t.Fatalf("waiting for a notification: %v", err)
		}
		return string(buf[:n])
	}
	if got := next(); got != "READY=1" {
		t.Fatalf("first notification %q, want READY=1", got)
	}
	socket := cfg.Path(cfg.API.Socket)
	if st, err := (&client.Client{Socket: socket}).Status(ctx); err != nil || st.Version != version.String() {
		t.Errorf("API after READY=1: version %q, %v; want %q", st.Version, err, version.String())
	}
	if fi, err := os.Stat(socket); err != nil || fi.Mode().Perm() != 0o660 {
		t.Errorf("socket mode %v (%v), want 0660", fi.Mode().Perm(), err)
	}
	for range 2 {
		if got := next(); got != "WATCHDOG=1" {
			t.Fatalf("notification %q, want WATCHDOG=1", got)
		}
	}
	// A reload: RELOADING=1 with the monotonic clock, then READY=1.
	hup <- os.Interrupt
	for _, want := range []string{"RELOADING=1\nMONOTONIC_USEC=", "READY=1"} {
		got := next()
		for got == "WATCHDOG=1" {
			got = next()
		}
		if !strings.HasPrefix(got, want) {
			t.Fatalf("notification %q, want %q", got, want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	done <- nil
	for {
		got := next()
		if got == "STOPPING=1" {
			break
		}
		if !strings.HasPrefix(got, "WATCHDOG=1") {
			t.Fatalf("notification %q, want STOPPING=1", got)
		}
	}
}
