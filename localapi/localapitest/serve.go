package localapitest

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/localapi"
)

// SocketDir returns a new temporary directory with a path short enough for
// a unix socket (t.TempDir paths can pass the ~108-byte limit), removed when
// the test ends.
func SocketDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "omsd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Serve serves b with localapi.Serve on a new socket and returns the
// socket's path once it answers. The server stops when the test ends; a
// Serve error fails the test.
func Serve(t testing.TB, b localapi.Backend) string {
	t.Helper()
	return ServeWith(t, b)
}

// ServeWith is Serve with handler options.
func ServeWith(t testing.TB, b localapi.Backend, opts ...localapi.Option) string {
	t.Helper()
	sock := filepath.Join(SocketDir(t), "omsd.sock")
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- localapi.Serve(ctx, sock, localapi.NewHandler(b, log, opts...), log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("localapi.Serve: %v", err)
		}
	})
	if err := WaitSocket(sock, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	return sock
}

// WaitSocket waits until something answers on the unix socket at path.
func WaitSocket(path string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		conn, err := net.Dial("unix", path)
		if err == nil {
			return conn.Close()
		}
		if time.Now().After(deadline) {
			return errors.Join(errors.New("localapitest: socket did not answer"), err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
