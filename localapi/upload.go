package localapi

import (
	"errors"
	"fmt"
	"net/http"
)

// DefaultMaxUpload is the upload limit of a handler made without
// WithMaxUpload: 1 GiB.
const DefaultMaxUpload = 1 << 30

// Option configures a handler.
type Option func(*handler)

// WithMaxUpload bounds the print file a submit may upload to n bytes. A
// larger one is refused with 413 before the backend has created anything.
func WithMaxUpload(n int64) Option {
	return func(h *handler) {
		if n > 0 {
			h.maxUpload = n
		}
	}
}

// limitUpload refuses with 413 a request whose declared length is over the
// limit, before its body is read (a client that sent "Expect: 100-continue"
// then sends nothing), and caps the body of the others: a read past the
// limit fails with *http.MaxBytesError, which fail answers with 413.
func (h *handler) limitUpload(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength > h.maxUpload {
		h.tooLarge(w, r)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.maxUpload)
	return true
}

// tooLarge answers 413, saying what to do.
func (h *handler) tooLarge(w http.ResponseWriter, r *http.Request) {
	h.log.Warn().Str("path", r.URL.Path).Int64("length", r.ContentLength).Int64("limit", h.maxUpload).Msg("upload over the limit refused")
	writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf(
		"the upload is larger than the daemon's limit of %s (api.max_upload); nothing was stored", byteSize(h.maxUpload)))
}

// isTooLarge reports whether err is a read past a MaxBytesReader's limit.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// byteSize writes n with the largest binary unit that divides it.
func byteSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
