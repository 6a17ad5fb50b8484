// Package client is the typed client of omsd's local API, the one way
// omsctl and scripts written in Go talk to the daemon. The zero Client works:
// it dials DefaultSocket.
//
// HTTP statuses are mapped back to the api package's sentinel errors, so
// callers test errors.Is(err, api.ErrNotFound) and never look at a status
// code. When nothing answers on the socket the error wraps
// api.ErrDaemonNotRunning and tells the operator how to start omsd.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/omsd/omsd/api"
)

// DefaultSocketPath is the socket omsd listens on when started in the
// directory that holds its state directory.
const DefaultSocketPath = "omsd-data/omsd.sock"

// DefaultSocket is the socket a zero Client dials: $OMSD_SOCKET if set,
// else DefaultSocketPath, else the system service's ServiceSocketPath when
// only that one exists.
func DefaultSocket() string {
	if s := os.Getenv("OMSD_SOCKET"); s != "" {
		return s
	}
	return pickSocket(DefaultSocketPath, ServiceSocketPath)
}

// baseURL is the URL prefix of every request; the host is never resolved,
// the transport dials the socket.
const baseURL = "http://local-omsd.sock"

// maxBody bounds the JSON documents read from the daemon.
const maxBody = 256 << 20

// Client talks to omsd's local API over a unix socket.
type Client struct {
	// Socket is the path of omsd's socket; empty means DefaultSocket().
	Socket string
	// Transport, if set, carries the requests instead of a unix socket
	// dialer (tests).
	Transport http.RoundTripper

	once sync.Once
	hc   *http.Client
}

// socket is the socket path in use.
func (c *Client) socket() string {
	if c.Socket != "" {
		return c.Socket
	}
	return DefaultSocket()
}

// httpClient builds, once, the HTTP client dialing the socket.
func (c *Client) httpClient() *http.Client {
	c.once.Do(func() {
		rt := c.Transport
		if rt == nil {
			path := c.socket()
			rt = &http.Transport{
				DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
					var d net.Dialer
					return d.DialContext(ctx, "unix", path)
				},
				DisableCompression: true,
				// An upload of known length asks first (Expect:
				// 100-continue), so one over the daemon's limit is
				// refused before a byte of it is sent.
				ExpectContinueTimeout: 2 * time.Second,
			}
		}
		c.hc = &http.Client{Transport: rt}
	})
	return c.hc
}

// send performs a request and returns the response of a 2xx status; any
// other status is turned into an error and the body closed.
func (c *Client) send(ctx context.Context, method, path string, q url.Values, body io.Reader) (*http.Response, error) {
	u := baseURL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("request %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/octet-stream")
		if n, ok := lengthOf(body); ok && req.ContentLength == 0 && n > 0 {
			req.ContentLength = n
			req.Header.Set("Expect", "100-continue")
		}
	}
	res, err := c.httpClient().Do(req)
	if err != nil {
		return nil, c.transportError(method, path, err)
	}
	if res.StatusCode/100 != 2 {
		defer res.Body.Close()
		return nil, responseError(res)
	}
	return res, nil
}

// do performs a request and decodes the JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body io.Reader, out any) error {
	res, err := c.send(ctx, method, path, q, body)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if err := json.NewDecoder(io.LimitReader(res.Body, maxBody)).Decode(out); err != nil {
		return fmt.Errorf("response to %s %s: %w", method, path, err)
	}
	return nil
}

// transportError explains a failed round trip; a missing socket or a
// refused connection means the daemon is not running.
func (c *Client) transportError(method, path string, err error) error {
	if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
		return &notRunningError{socket: c.socket(), err: err}
	}
	if errors.Is(err, syscall.EACCES) {
		return &deniedError{socket: c.socket(), err: err}
	}
	return fmt.Errorf("%s %s on %s: %w", method, path, c.socket(), err)
}

// notRunningError is the error of a request nobody answered.
type notRunningError struct {
	socket string
	err    error
}

func (e *notRunningError) Error() string {
	if e.socket == ServiceSocketPath {
		return serviceNotRunning
	}
	return fmt.Sprintf("omsd is not running (no daemon at %s); start it with %q (or %q) in the directory that holds omsd-data, or pass --socket",
		e.socket, "omsd", "go run ./cmd/omsd")
}

func (e *notRunningError) Unwrap() []error { return []error{api.ErrDaemonNotRunning, e.err} }

// statusError is an error answer of the daemon.
type statusError struct {
	code int
	msg  string // the daemon's message
	kind error  // the api sentinel for code, or nil
}

func (e *statusError) Error() string {
	if e.kind == nil {
		return fmt.Sprintf("omsd: %s (HTTP %d)", e.msg, e.code)
	}
	return "omsd: " + e.msg
}

func (e *statusError) Unwrap() error { return e.kind }

// responseError turns a non-2xx response into an error wrapping the api
// sentinel of its status.
func responseError(res *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	var doc api.Error
	msg := string(bytes.TrimSpace(b))
	if json.Unmarshal(b, &doc) == nil && doc.Error != "" {
		msg = doc.Error
	}
	if msg == "" {
		msg = http.StatusText(res.StatusCode)
	}
	return &statusError{code: res.StatusCode, msg: msg, kind: sentinel(res.StatusCode)}
}

// sentinel is the api error for an HTTP status, or nil.
func sentinel(code int) error {
	switch code {
	case http.StatusNotFound:
		return api.ErrNotFound
	case http.StatusConflict:
		return api.ErrConflict
	case http.StatusBadRequest:
		return api.ErrBadRequest
	case http.StatusServiceUnavailable:
		return api.ErrUnavailable
	case http.StatusRequestEntityTooLarge:
		return api.ErrTooLarge
	}
	return nil
}

// lengthOf is the number of bytes left in a file body, so that an upload
// declares its length.
func lengthOf(r io.Reader) (int64, bool) {
	f, ok := r.(*os.File)
	if !ok {
		return 0, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0, false
	}
	pos, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, false
	}
	return st.Size() - pos, true
}
