package metrics

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// Path is where the metrics are served, on the API socket and over TCP.
const Path = "/metrics"

// ReadToken reads the bearer token in path: its first line, trimmed. An
// empty file is an error, so that a token file is never silently no
// protection.
func ReadToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%w: metrics.token_file: %w", ErrMetrics, err)
	}
	tok, _, _ := strings.Cut(string(b), "\n")
	if tok = strings.TrimSpace(tok); tok == "" {
		return "", fmt.Errorf("%w: metrics.token_file %s is empty; write a token in it or remove the setting", ErrMetrics, path)
	}
	return tok, nil
}

// WithToken answers 401 to a request without "Authorization: Bearer
// token"; an empty token asks for none.
func WithToken(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="omsd metrics"`)
			http.Error(w, "a bearer token is required (metrics.token_file)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Serve serves h at Path on the TCP address addr until ctx ends; requests
// must carry token if it is not empty.
func Serve(ctx context.Context, addr, token string, h http.Handler, log zerolog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w: metrics.listen %s: %w", ErrMetrics, addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+Path, WithToken(token, h))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info().Str("address", ln.Addr().String()).Bool("token", token != "").Msg("metrics listening")
	select {
	case err := <-errc:
		return fmt.Errorf("%w: metrics on %s: %w", ErrMetrics, addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("%w: metrics on %s: %w", ErrMetrics, addr, err)
	}
	return nil
}
