package localapi_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// get performs GET path on the unix socket sock and returns the body.
func get(t *testing.T, sock, path string) string {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
	defer hc.CloseIdleConnections()
	res, err := hc.Get("http://omsd" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// start runs localapi.Serve on sock in the background.
func start(t *testing.T, sock string) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	go func() { done <- localapi.Serve(ctx, sock, localapi.NewHandler(localapitest.New(), log), log) }()
	return func() error { cancel(); return <-done }
}

func TestServe(t *testing.T) {
	sock := filepath.Join(localapitest.SocketDir(t), "omsd.sock")
	stop := start(t, sock)
	if err := localapitest.WaitSocket(sock, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("socket mode = %v, want 0600", mode)
	}
	if body := get(t, sock, "/v1/status"); !strings.Contains(body, `"version":"0.1.0-test"`) {
		t.Errorf("status = %s", body)
	}
	if err := stop(); err != nil {
		t.Fatalf("Serve = %v, want nil after the context ends", err)
	}
	if _, err := os.Lstat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left behind after Serve returned (%v)", err)
	}
}

func TestServeRefusesLiveDaemon(t *testing.T) {
	sock := filepath.Join(localapitest.SocketDir(t), "omsd.sock")
	stop := start(t, sock)
	defer stop()
	if err := localapitest.WaitSocket(sock, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	err := localapi.Serve(context.Background(), sock, http.NotFoundHandler(), zerolog.Nop())
	if !errors.Is(err, localapi.ErrAlreadyRunning) || !strings.Contains(err.Error(), "another omsd is running") {
		t.Fatalf("second Serve = %v, want ErrAlreadyRunning", err)
	}
	// The first daemon still answers.
	if body := get(t, sock, "/v1/status"); !strings.Contains(body, "version") {
		t.Errorf("first daemon lost its socket: %s", body)
	}
}

func TestServeReplacesStaleSocket(t *testing.T) {
	sock := filepath.Join(localapitest.SocketDir(t), "omsd.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // the socket file stays, nobody answers: a dead daemon's leftover
	if _, err := os.Lstat(sock); err != nil {
		t.Fatalf("stale socket not in place: %v", err)
	}
	stop := start(t, sock)
	if err := localapitest.WaitSocket(sock, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if body := get(t, sock, "/v1/printers"); !strings.Contains(body, `"lp1"`) {
		t.Errorf("printers = %s", body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestServeRefusesNonSocket(t *testing.T) {
	sock := filepath.Join(localapitest.SocketDir(t), "omsd.sock")
	if err := os.WriteFile(sock, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := localapi.Serve(context.Background(), sock, http.NotFoundHandler(), zerolog.Nop())
	if err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("Serve = %v, want a not-a-socket error", err)
	}
	if b, _ := os.ReadFile(sock); string(b) != "keep me" {
		t.Errorf("Serve touched a regular file: %q", b)
	}
}

// TestServeEndsStreams checks that an open event stream does not keep Serve
// from returning once its context ends.
func TestServeEndsStreams(t *testing.T) {
	sock := filepath.Join(localapitest.SocketDir(t), "omsd.sock")
	b := localapitest.New()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- localapi.Serve(ctx, sock, localapi.NewHandler(b, zerolog.Nop()), zerolog.Nop()) }()
	if err := localapitest.WaitSocket(sock, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /v1/events HTTP/1.1\r\nHost: omsd\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	if !b.WaitSubscribed(1, 5*time.Second) {
		t.Fatal("no subscription")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Serve did not return while an event stream was open")
	}
}

// TestAckByCaller: an acknowledgement that does not say who makes it is
// the API caller's, the user of the process at the other end of the
// socket; one that says keeps its name.
func TestAckByCaller(t *testing.T) {
	sock := filepath.Join(localapitest.SocketDir(t), "omsd.sock")
	stop := start(t, sock)
	defer stop()
	if err := localapitest.WaitSocket(sock, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	c := client.Client{Socket: sock}
	j, err := c.Ack(context.Background(), 1, "pulled", "")
	if err != nil || j.Message != "acknowledged by "+me.Username {
		t.Errorf("ack without a name: %q, %v; want the caller %s", j.Message, err, me.Username)
	}
	if j, err = c.Ack(context.Background(), 1, "pulled", "alice"); err != nil || j.Message != "acknowledged by alice" {
		t.Errorf("ack by alice: %q, %v", j.Message, err)
	}
}
