package ipp

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
)

// maxResponse bounds the size of an IPP response read from a printer.
const maxResponse = 4 << 20

// HTTPError is an HTTP answer other than 200 OK to an IPP request.
type HTTPError struct {
	Op   string // IPP operation, e.g. Print-Job
	Code int    // HTTP status code
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("ipp: %s: HTTP %d %s", e.Op, e.Code, http.StatusText(e.Code))
}

// newHTTPClient builds the client for cfg. Its timeouts cover connecting,
// the TLS handshake and waiting for an answer once a request is sent, so a
// large document may take longer than cfg.Timeout to upload.
func newHTTPClient(cfg Config) *http.Client {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tlsConfig = cfg.TLSConfig.Clone()
	}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:           (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:       tlsConfig,
			TLSHandshakeTimeout:   cfg.Timeout,
			ResponseHeaderTimeout: cfg.Timeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       30 * time.Second,
		},
		// An IPP request is a POST; following redirects would drop it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// roundTrip posts req to the printer and decodes the answer. Requests
// without a document get cfg.Timeout as a deadline. Errors reaching the
// printer wrap drivers.ErrUnreachable, or ErrUntrustedCert.
func (d *Driver) roundTrip(ctx context.Context, op string, req *goipp.Request) (*goipp.Response, error) {
	if req.File == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.cfg.Timeout)
		defer cancel()
	}
	head, err := req.Encode()
	if err != nil {
		return nil, fmt.Errorf("ipp: %s: encode request: %w", op, err)
	}
	body, size := io.Reader(bytes.NewReader(head)), int64(len(head))
	if req.File != nil {
		body, size = io.MultiReader(body, req.File), size+int64(req.FileSize)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, d.endpoint, body)
	if err != nil {
		return nil, fmt.Errorf("ipp: %s: %w", op, err)
	}
	hreq.ContentLength = size
	hreq.Header.Set("Content-Type", goipp.ContentTypeIPP)
	resp, err := d.client.Do(hreq)
	if err != nil {
		return nil, connError(op, d.endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{Op: op, Code: resp.StatusCode}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, connError(op, d.endpoint, err)
	}
	if len(data) > maxResponse {
		return nil, fmt.Errorf("%w: %s: answer larger than %d bytes", ErrBadResponse, op, maxResponse)
	}
	return decode(op, data)
}

// connError wraps an error of the HTTP exchange: certificate problems as
// ErrUntrustedCert, everything else as drivers.ErrUnreachable.
func connError(op, endpoint string, err error) error {
	var verr *tls.CertificateVerificationError
	var uerr x509.UnknownAuthorityError
	var herr x509.HostnameError
	if errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) {
		return fmt.Errorf("%w: %s %s: %w", ErrUntrustedCert, op, endpoint, err)
	}
	return fmt.Errorf("%w: %s %s: %w", drivers.ErrUnreachable, op, endpoint, err)
}

// decode parses an IPP response. go-ipp's decoder trusts length fields
// and can panic on malformed input; the panic is turned into an error.
func decode(op string, data []byte) (resp *goipp.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("%w: %s: %v", ErrBadResponse, op, r)
		}
	}()
	resp, err = goipp.NewResponseDecoder(bytes.NewReader(data)).Decode(nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadResponse, op, err)
	}
	return resp, nil
}
