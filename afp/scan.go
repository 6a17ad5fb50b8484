package afp

import (
	"fmt"
	"io"
)

const (
	introducerLen = 9        // 0x5A, length (2), identifier (3), flags, reserved (2)
	maxLength     = 0xFFFF   // largest value of the length bytes
	maxFiller     = 64 << 10 // most filler tolerated between two fields
	minScanBuf    = 1 << 17  // holds the largest possible field
)

// rawField is a field as the scanner sees it: slices into the scanner's
// buffer, valid until the scanner moves on.
type rawField struct {
	off      int64  // offset of the 0x5A
	pre      []byte // filler before the 0x5A
	raw      []byte // 0x5A through the last byte of the field
	data     []byte // the data, without extension and padding
	id       uint32
	flags    byte
	reserved uint16
}

// start is the offset of the field's first filler byte, or of its 0x5A.
func (f *rawField) start() int64 { return f.off - int64(len(f.pre)) }

// end is the offset just past the field.
func (f *rawField) end() int64 { return f.off + int64(len(f.raw)) }

func (f *rawField) name() string { return IDName(f.id) }

// scanner walks structured fields without copying them: each field is a
// window on a buffer that is large enough for any field.
type scanner struct {
	rd      io.Reader
	buf     []byte
	r, w    int    // the unread input is buf[r:w]
	off     int64  // offset of buf[r]
	rerr    error  // the reader's error, once it gave one; io.EOF at the end
	pending int    // bytes of the current field not yet consumed
	last    uint32 // identifier of the last field read; 0 before the first
	pre     []byte // filler read by the last advance
}

func newScanner(rd io.Reader, size int) *scanner {
	return &scanner{rd: rd, buf: make([]byte, max(size, minScanBuf))}
}

// reset makes the scanner read rd, whose first byte is at offset off,
// keeping its buffers.
func (s *scanner) reset(rd io.Reader, off int64) {
	*s = scanner{rd: rd, buf: s.buf, pre: s.pre[:0], off: off}
}

// fill returns the unread input, at least n bytes of it unless the input
// ends first (n is at most the buffer's size).
func (s *scanner) fill(n int) []byte {
	if s.w-s.r >= n {
		return s.buf[s.r:s.w]
	}
	return s.slowFill(n)
}

func (s *scanner) slowFill(n int) []byte {
	if s.r > 0 {
		s.w = copy(s.buf, s.buf[s.r:s.w])
		s.r = 0
	}
	for empty := 0; s.w < n && s.rerr == nil; {
		m, err := s.rd.Read(s.buf[s.w:])
		s.w += m
		switch {
		case err != nil:
			s.rerr = err
		case m == 0:
			if empty++; empty == 100 {
				s.rerr = io.ErrNoProgress
			}
		}
	}
	return s.buf[s.r:s.w]
}

// readErr is the reader's error other than the end of the input, wrapped.
func (s *scanner) readErr() error {
	if s.rerr == nil || s.rerr == io.EOF {
		return nil
	}
	return fmt.Errorf("afp: read at offset %d: %w", s.off+int64(s.w-s.r), s.rerr)
}

func (s *scanner) consume(n int) {
	s.r += n
	s.off += int64(n)
}

// lastName names the field read last, for errors about what follows it.
func (s *scanner) lastName() string {
	if s.last == 0 {
		return ""
	}
	return IDName(s.last)
}

// next advances past the current field and any filler and reads the next
// field into f; io.EOF at the end of the input.
func (s *scanner) next(f *rawField) error {
	// Fast path: the next field follows at once and is buffered whole.
	r := s.r + s.pending
	if s.w-r >= introducerLen && s.buf[r] == 0x5A {
		length := int(s.buf[r+1])<<8 | int(s.buf[r+2])
		if length >= introducerLen-1 && s.w-r > length && s.buf[r+6]&(FlagExt|FlagPad) == 0 {
			s.off += int64(s.pending)
			s.r, s.pending, s.pre = r, 1+length, s.pre[:0]
			raw := s.buf[r : r+1+length]
			f.off, f.pre, f.raw, f.data = s.off, nil, raw, raw[introducerLen:]
			f.id, f.flags, f.reserved = be24(raw[3:]), raw[6], be16(raw[7:])
			s.last = f.id
			return nil
		}
	}
	if err := s.advance(); err != nil {
		return err
	}
	return s.field(f)
}

// advance consumes the current field and the filler after it, which it
// keeps in s.pre. At the end of the input it returns io.EOF; s.pre then
// holds the filler that trailed the last field.
func (s *scanner) advance() error {
	s.consume(s.pending)
	s.pending = 0
	s.pre = s.pre[:0]
	for {
		b := s.fill(7)
		if len(b) > 0 && b[0] == 0x5A {
			return nil
		}
		if err := s.readErr(); err != nil && len(b) < 7 {
			return err
		}
		if len(b) == 0 {
			return io.EOF
		}
		n := fillerStep(b)
		switch {
		case n < 0:
			return s.garbage(b[0])
		case len(s.pre)+n > maxFiller:
			return formatErr(ErrSyntax, s.off, s.lastName(), "more than %d bytes of filler", maxFiller)
		}
		s.pre = append(s.pre, b[:n]...)
		s.consume(n)
	}
}

func (s *scanner) garbage(c byte) error {
	if s.last == 0 {
		return formatErr(ErrSyntax, s.off, "", "byte 0x%02X at the start of the input, where a structured field (0x5A) should begin", c)
	}
	return formatErr(ErrSyntax, s.off, s.lastName(), "garbage after the field: byte 0x%02X where the next structured field (0x5A) should begin", c)
}

// field reads the field at the current position, which advance has put
// at a 0x5A, into f.
func (s *scanner) field(f *rawField) error {
	b := s.fill(introducerLen)
	if len(b) < introducerLen {
		if err := s.readErr(); err != nil {
			return err
		}
		name := s.lastName()
		if len(b) >= 6 {
			name = IDName(be24(b[3:]))
		}
		return formatErr(ErrTruncated, s.off, name, "input ends inside a field introducer (%d of %d bytes)", len(b), introducerLen)
	}
	length := int(be16(b[1:]))
	if length < introducerLen-1 {
		return formatErr(ErrLength, s.off, IDName(be24(b[3:])), "length %d below 8", length)
	}
	if b = s.fill(1 + length); len(b) < 1+length {
		if err := s.readErr(); err != nil {
			return err
		}
		return formatErr(ErrTruncated, s.off, IDName(be24(b[3:])), "length %d runs past the end of the input (only %d bytes follow)", length, len(b)-1)
	}
	raw := b[:1+length]
	f.off, f.pre, f.raw = s.off, s.pre, raw
	f.id, f.flags, f.reserved = be24(raw[3:]), raw[6], be16(raw[7:])
	if f.flags&(FlagExt|FlagPad) == 0 {
		f.data = raw[introducerLen:]
	} else {
		var detail string
		if _, f.data, _, detail = splitBody(raw, f.flags); detail != "" {
			return formatErr(ErrField, s.off, IDName(f.id), "%s", detail)
		}
	}
	s.pending, s.last = len(raw), f.id
	return nil
}

// splitBody divides the bytes after the introducer into extension, data and
// padding as the flags say; detail says what does not fit.
func splitBody(raw []byte, flags byte) (ext, data, pad []byte, detail string) {
	body := raw[introducerLen:]
	if flags&FlagExt != 0 {
		if len(body) == 0 {
			return nil, nil, nil, "extension flag set but no extension follows"
		}
		n := int(body[0])
		if n < 1 || n > len(body) {
			return nil, nil, nil, fmt.Sprintf("extension length %d does not fit in %d bytes", n, len(body))
		}
		ext, body = body[1:n:n], body[n:]
	}
	if flags&FlagPad != 0 {
		n, ok := padCount(body)
		if !ok {
			return nil, nil, nil, fmt.Sprintf("padding flag set but the pad count does not fit in %d bytes", len(body))
		}
		pad, body = body[len(body)-n:], body[:len(body)-n:len(body)-n]
	}
	return ext, body, pad, ""
}

// padCount is the number of padding bytes at the end of b: the last byte,
// or, when that is 0, the two bytes before it.
func padCount(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	if last := int(b[len(b)-1]); last != 0 {
		return last, last <= len(b)
	}
	if len(b) < 3 {
		return 0, false
	}
	n := int(be16(b[len(b)-3:]))
	return n, n >= 3 && n <= len(b)
}

// fillerStep classifies the bytes at b (a window of up to 7 bytes): 0 when
// a field starts there, 4 for a record descriptor, 1 for a CR, LF or NUL,
// -1 for anything else.
func fillerStep(b []byte) int {
	switch {
	case b[0] == 0x5A:
		return 0
	case isRecordDescriptor(b):
		return 4
	case b[0] == 0x00 || b[0] == '\r' || b[0] == '\n':
		return 1
	}
	return -1
}

// isRecordDescriptor reports whether b starts with a 4-byte record
// descriptor (length, two zero bytes) whose length matches the field after
// it, counting the descriptor or not.
func isRecordDescriptor(b []byte) bool {
	if len(b) < 7 || b[2] != 0 || b[3] != 0 || b[4] != 0x5A {
		return false
	}
	rec, field := int(be16(b)), int(be16(b[5:]))
	return rec == field+5 || rec == field+1
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func be24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }
