package afp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// Writer writes structured fields. It buffers its output: call Flush at the
// end. Write errors are sticky; a field that cannot be encoded is refused
// with an error wrapping ErrField and nothing is written for it.
type Writer struct {
	w   *bufio.Writer
	err error
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10)}
}

// WriteField writes f: its Pre bytes, the introducer with the length
// computed from the contents, the extension, data, padding, and its Trail.
// Flags and Reserved are written as given.
func (w *Writer) WriteField(f *Field) error {
	if w.err != nil {
		return w.err
	}
	err := encodeField(w.w, f)
	if err != nil && !errors.Is(err, ErrField) {
		w.err = err
	}
	return err
}

// Flush writes buffered fields to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.w.Flush()
	return w.err
}

// encodeField checks f and writes it to bw.
func encodeField(bw *bufio.Writer, f *Field) error {
	var hdr [introducerLen]byte
	if err := checkField(f, &hdr); err != nil {
		return fmt.Errorf("afp: write %s: %w", f.Name(), err)
	}
	bw.Write(f.Pre)
	bw.Write(hdr[:])
	if f.Flags&FlagExt != 0 {
		bw.WriteByte(byte(1 + len(f.Ext)))
		bw.Write(f.Ext)
	}
	bw.Write(f.Data)
	bw.Write(f.Pad)
	_, err := bw.Write(f.Trail)
	return err
}

// checkField fills the introducer of f into hdr and checks that a Reader
// would read f back as it is.
func checkField(f *Field, hdr *[introducerLen]byte) error {
	length := f.Length()
	switch {
	case f.ID > 0xFFFFFF:
		return fieldErr("identifier %X longer than 3 bytes", f.ID)
	case f.Flags&FlagExt == 0 && len(f.Ext) > 0:
		return fieldErr("extension without the extension flag")
	case len(f.Ext) > 254:
		return fieldErr("extension of %d bytes, more than 254", len(f.Ext))
	case f.Flags&FlagPad == 0 && len(f.Pad) > 0:
		return fieldErr("padding without the padding flag")
	case length > maxLength:
		return fieldErr("length %d above %d", length, maxLength)
	}
	if f.Flags&FlagPad != 0 {
		if n, ok := padCount(f.Pad); !ok || n != len(f.Pad) {
			return fieldErr("padding of %d bytes does not carry its own count", len(f.Pad))
		}
	}
	*hdr = [introducerLen]byte{0x5A, byte(length >> 8), byte(length), byte(f.ID >> 16), byte(f.ID >> 8), byte(f.ID), f.Flags, byte(f.Reserved >> 8), byte(f.Reserved)}
	if !checkPre(f.Pre, hdr[:7]) {
		return fieldErr("Pre holds bytes other than a record descriptor, CR, LF or NUL")
	}
	for _, c := range f.Trail {
		if c != 0 && c != '\r' && c != '\n' {
			return fieldErr("Trail holds bytes other than CR, LF or NUL")
		}
	}
	return nil
}

func fieldErr(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrField)
}

// checkPre reports whether a Reader would take pre, followed by a field
// whose first bytes are next, as filler before that field.
func checkPre(pre, next []byte) bool {
	if len(pre) == 0 {
		return true
	}
	w := append(append(make([]byte, 0, len(pre)+len(next)), pre...), next...)
	i := 0
	for i < len(pre) {
		n := fillerStep(w[i:])
		if n <= 0 {
			return false
		}
		i += n
	}
	return i == len(pre)
}
