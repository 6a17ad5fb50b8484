package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// guard turns a panic into an error wrapping ErrDamaged. Every exported
// function that parses the file defers it: defer guard(&err, what).
func guard(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %w: the parser failed on it (%v)", what, ErrDamaged, r)
	}
}

const (
	headerWindow = 1024 // junk allowed before %PDF-
	eofWindow    = 1024 // %%EOF must be within this many final bytes
)

// load reads the file at path after checking, from its first and last
// bytes, that it looks like a complete PDF.
func load(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w: not a regular file", path, ErrNotPDF)
	}
	size := st.Size()
	if size == 0 {
		return nil, fmt.Errorf("%s: %w: the file is empty", path, ErrNotPDF)
	}
	head, err := readAt(f, 0, min(size, headerWindow+int64(len("%PDF-"))))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, fmt.Errorf("%s: %w: it does not start with %%PDF-", path, ErrNotPDF)
	}
	tail, err := readAt(f, max(0, size-eofWindow), min(size, eofWindow))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return nil, fmt.Errorf("%s: %w: it does not end with %%%%EOF; it may still be being written, "+
			"or its transfer was cut off", path, ErrTruncated)
	}
	data, err := readAt(f, 0, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// readAt reads n bytes at off; n comes from the file system, not the file.
func readAt(f *os.File, off, n int64) ([]byte, error) {
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file shrank while being read")
		}
		return nil, err
	}
	return b, nil
}
