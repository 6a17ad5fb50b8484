package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/client"
)

// canned returns a Client whose every request is answered with status and
// body.
func canned(status int, body string) *client.Client {
	return &client.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body)),
			Header: http.Header{}, Request: r}, nil
	})}
}

func TestResponseErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		is     error
		want   string
	}{
		{"json error", 404, `{"error":"job 4: gone"}`, api.ErrNotFound, "omsd: job 4: gone"},
		{"plain text error", 502, "bad gateway\n", nil, "omsd: bad gateway (HTTP 502)"},
		{"empty error", 409, "", api.ErrConflict, "omsd: Conflict"},
		{"unavailable", 503, `{"error":"intake paused: only 1.0 MiB free on /spool"}`, api.ErrUnavailable, "omsd: intake paused"},
		{"405", 405, `{"error":"method GET not allowed"}`, nil, "(HTTP 405)"},
		{"bad document", 200, `{"version": 3}`, nil, "response to GET /v1/status"},
		{"truncated document", 200, `{"version": "1`, nil, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := canned(tt.status, tt.body).Status(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
			for _, s := range []error{api.ErrNotFound, api.ErrConflict, api.ErrBadRequest, api.ErrUnavailable} {
				if s != tt.is && errors.Is(err, s) {
					t.Errorf("err also matches %v", s)
				}
			}
		})
	}
}

func TestWatchBadStream(t *testing.T) {
	tests := []struct {
		name, body, want string
		events           int
	}{
		{"not json", `{"seq":1,"job":2,"type":"info"}` + "\nnot json\n", "event stream: invalid character", 1},
		{"blank lines skipped", "\n\n" + `{"seq":1,"job":2,"type":"info"}` + "\n\n", "EOF", 1},
		{"line too long", `{"message":"` + strings.Repeat("x", 2<<20) + `"}` + "\n", "token too long", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := canned(200, tt.body).Watch(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			n := 0
			for {
				_, err = w.Next()
				if err != nil {
					break
				}
				n++
			}
			if n != tt.events || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%d events then %v; want %d then %q", n, err, tt.events, tt.want)
			}
		})
	}
}
