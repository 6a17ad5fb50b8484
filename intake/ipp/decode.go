package ipp

import (
	"errors"
	"fmt"
	"io"

	"github.com/OpenPrinting/goipp"
)

// MaxRequestAttributes bounds the bytes of a request's attributes (the
// part before the document). goipp reads them unbuffered and allocates at
// most 64 KiB per value; this bounds the whole message and, with it, the
// depth of nested collections.
const MaxRequestAttributes = 256 << 10

// Decoding errors.
var (
	// ErrMalformed is wrapped by every request the decoder refuses.
	ErrMalformed = errors.New("ipp: malformed request")
	// ErrAttributesTooLarge is a request whose attributes exceed
	// MaxRequestAttributes.
	ErrAttributesTooLarge = errors.New("ipp: request attributes too large")
)

// DecodeRequest reads one IPP request's attributes from body, leaving the
// document (the rest of body) unread. It is the fence around goipp: the
// bytes it may read are bounded, and a panic inside goipp comes back as an
// error that says so rather than being swallowed.
func DecodeRequest(body io.Reader) (msg *goipp.Message, err error) {
	lr := &boundedReader{r: body, left: MaxRequestAttributes}
	defer func() {
		if p := recover(); p != nil {
			msg, err = nil, fmt.Errorf("%w: the decoder failed on it (%v)", ErrMalformed, p)
		}
	}()
	var m goipp.Message
	if err := m.DecodeEx(lr, goipp.DecoderOptions{EnableWorkarounds: true}); err != nil {
		if lr.exceeded {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrAttributesTooLarge, MaxRequestAttributes)
		}
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return &m, nil
}

// boundedReader reads at most left bytes, then fails.
type boundedReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		b.exceeded = true
		return 0, ErrAttributesTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
