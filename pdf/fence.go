package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/omsd/omsd/internal/mapfile"
)

// guard turns a panic into an error wrapping ErrDamaged. Every exported
// function that parses the file defers it: defer guard(&err, what).
func guard(err *error, what string) {
	if r := recover(); r != nil {
		if mapfile.IsFault(r) {
			// A fault reading a mapped file, under d.reading.
			*err = fmt.Errorf("%s: %w: the file was cut short or changed while being read; "+
				"leave an input alone while it is processed", what, ErrDamaged)
			return
		}
		*err = fmt.Errorf("%s: %w: the parser failed on it (%v)", what, ErrDamaged, r)
	}
}

const (
	headerWindow = 1024 // junk allowed before %PDF-
	eofWindow    = 1024 // %%EOF must be within this many final bytes
)

// load reads the file at path after checking, from its first and last
// bytes, that it looks like a complete PDF. A file of mapFrom bytes or
// more is mapped instead of read: m is then its mapping, and data the
// mapped bytes.
func load(path string, mapFrom int64) (data []byte, m *mapping, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if m == nil {
			f.Close()
		}
	}()
	size, err := check(path, f)
	if err != nil {
		return nil, nil, err
	}
	if size >= mapFrom {
		m, err := mapFile(f, size)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return m.data, m, nil
	}
	data, err = readAt(f, 0, size)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil, nil
}

// check checks, from its first and last bytes, that f looks like a
// complete PDF, and returns its size.
func check(path string, f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("%s: %w: not a regular file", path, ErrNotPDF)
	}
	size := st.Size()
	if size == 0 {
		return 0, fmt.Errorf("%s: %w: the file is empty", path, ErrNotPDF)
	}
	head, err := readAt(f, 0, min(size, headerWindow+int64(len("%PDF-"))))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return 0, fmt.Errorf("%s: %w: it does not start with %%PDF-", path, ErrNotPDF)
	}
	tail, err := readAt(f, max(0, size-eofWindow), min(size, eofWindow))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return 0, fmt.Errorf("%s: %w: it does not end with %%%%EOF; it may still be being written, "+
			"or its transfer was cut off", path, ErrTruncated)
	}
	return size, nil
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
