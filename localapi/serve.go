package localapi

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/rs/zerolog"
)

// ErrAlreadyRunning is returned by Serve when a live daemon answers on the
// socket.
var ErrAlreadyRunning = errors.New("localapi: another omsd is running")

// shutdownGrace is how long Serve waits for requests in flight once its
// context ends; their contexts have ended too, so only a client that stalls
// mid-request is cut off. Short, for omsd to stop within 2 s.
const shutdownGrace = time.Second

// Serve listens on the unix socket at socketPath and serves h until ctx
// ends. A socket file left behind by a daemon that died is removed first;
// if a live daemon answers on it, Serve fails with ErrAlreadyRunning. The
// socket is made accessible to its owner only (mode 0600) and removed when
// Serve returns.
//
// Request contexts end with ctx, so event streams end too. Serve returns nil
// after a clean shutdown.
func Serve(ctx context.Context, socketPath string, h http.Handler, log zerolog.Logger) error {
	ln, err := Listen(socketPath, 0o600)
	if err != nil {
		return err
	}
	return ServeListener(ctx, ln, h, log)
}

// ServeListener serves h on ln, a socket opened by Listen, until ctx ends,
// as Serve does; so a daemon can tell it is listening before it serves.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, log zerolog.Logger) error {
	socketPath := ln.Addr().String()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ConnContext:       withCaller,
		ErrorLog:          newStdLogger(log),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info().Str("socket", socketPath).Msg("local api listening")

	select {
	case err := <-errc:
		return fmt.Errorf("local api on %s: %w", socketPath, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		log.Warn().Err(err).Msg("local api shutdown cut short")
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("local api on %s: %w", socketPath, err)
	}
	return nil
}

// Listen opens the unix socket at path after clearing a stale socket file
// (or fails with ErrAlreadyRunning), with permission mode: 0600 for its
// owner only, 0660 for its group too.
func Listen(path string, mode os.FileMode) (net.Listener, error) {
	if err := clearStale(path); err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("socket %s: %w", path, err)
	}
	if err := os.Chmod(path, mode); err != nil {
		ln.Close()
		return nil, fmt.Errorf("socket %s: %w", path, err)
	}
	return ln, nil
}

// clearStale removes the socket file at path if nothing answers on it. It
// refuses to touch a file that is not a socket, and fails with
// ErrAlreadyRunning if a daemon answers.
func clearStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("socket %s: %w", path, err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("socket %s: exists and is not a socket", path)
	}
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		conn.Close()
		return fmt.Errorf("socket %s: %w", path, ErrAlreadyRunning)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("socket %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("stale socket %s: %w", path, err)
	}
	return nil
}

// newStdLogger adapts log for http.Server's error log.
func newStdLogger(l zerolog.Logger) *log.Logger {
	return log.New(l.With().Str("component", "localapi").Logger().Level(zerolog.WarnLevel), "", 0)
}
