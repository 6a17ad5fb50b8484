package afptest

import (
	"bufio"
	"fmt"
)

// sfWriter writes structured fields and counts bytes.
type sfWriter struct {
	bw     *bufio.Writer
	rdw    bool   // a record descriptor before each field
	end    []byte // bytes after each field
	record int    // pad each field with NULs to this length
	ended  int    // bytes written after the last field
	off    int64  // bytes written
	err    error
}

// field writes one structured field with the given data parts.
func (s *sfWriter) field(id uint32, parts ...[]byte) {
	n := 8
	for _, p := range parts {
		n += len(p)
	}
	if n > 0x7FFF {
		s.err = fmt.Errorf("field %06X of %d bytes", id, n)
		return
	}
	if s.rdw {
		s.put([]byte{byte((n + 5) >> 8), byte(n + 5), 0, 0})
	}
	s.put([]byte{0x5A, byte(n >> 8), byte(n), byte(id >> 16), byte(id >> 8), byte(id), 0, 0, 0})
	for _, p := range parts {
		s.put(p)
	}
	s.put(s.end)
	s.ended = len(s.end)
	if s.record > 0 {
		rec := 1 + n + len(s.end)
		if s.rdw {
			rec += 4
		}
		if rec > s.record {
			s.err = fmt.Errorf("field %06X of %d bytes in records of %d", id, rec, s.record)
			return
		}
		s.put(make([]byte, s.record-rec))
		s.ended += s.record - rec
	}
}

// mark is the offset where the filler before the next field starts: the
// bytes that end the last field belong to the next one.
func (s *sfWriter) mark() int64 { return s.off - int64(s.ended) }

func (s *sfWriter) put(b []byte) {
	if s.err != nil {
		return
	}
	_, s.err = s.bw.Write(b)
	s.off += int64(len(b))
}

func (s *sfWriter) flush() error {
	if s.err != nil {
		return s.err
	}
	return s.bw.Flush()
}

// EBCDIC bytes of the characters the generator writes, for code pages 500
// and 273 (letters, digits and space are the same in both).
var (
	cp500 = map[rune]byte{'.': 0x4B, ',': 0x6B, '-': 0x60, '/': 0x61, '&': 0x50, 'é': 0x51,
		'ä': 0x43, 'ö': 0xCC, 'ü': 0xDC, 'ß': 0x59, 'Ä': 0x63, 'Ö': 0xEC, 'Ü': 0xFC}
	cp273 = map[rune]byte{'.': 0x4B, ',': 0x6B, '-': 0x60, '/': 0x61, '&': 0x50, 'é': 0x51,
		'ä': 0xC0, 'ö': 0x6A, 'ü': 0xD0, 'ß': 0xA1, 'Ä': 0x4A, 'Ö': 0xE0, 'Ü': 0x5A}
)

// EBCDIC encodes s in code page 500 or 273; characters outside the
// generator's repertoire become '?' (0x6F).
func EBCDIC(s string, codePage int) []byte {
	special := cp500
	if codePage == 273 {
		special = cp273
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, ebcdicByte(r, special))
	}
	return out
}

func ebcdicByte(r rune, special map[rune]byte) byte {
	switch {
	case r == ' ':
		return 0x40
	case r >= '0' && r <= '9':
		return 0xF0 + byte(r-'0')
	case r >= 'a' && r <= 'z':
		return letterByte(byte(r-'a'), 0x81)
	case r >= 'A' && r <= 'Z':
		return letterByte(byte(r-'A'), 0xC1)
	}
	if b, ok := special[r]; ok {
		return b
	}
	return 0x6F
}

// letterByte places the i-th letter of the alphabet in its EBCDIC block
// (a–i, j–r, s–z) starting at base.
func letterByte(i, base byte) byte {
	switch {
	case i < 9:
		return base + i
	case i < 18:
		return base + 0x10 + i - 9
	}
	return base + 0x21 + i - 18
}

// name8 pads an EBCDIC token name to 8 bytes with spaces.
func name8(s string) []byte {
	b := EBCDIC(s, 500)
	for len(b) < 8 {
		b = append(b, 0x40)
	}
	return b[:8]
}

// tle encodes a TLE's data: attribute name, value, and a code page triplet
// when cp is not 0.
func tle(name, value []byte, cp int) []byte {
	d := append([]byte{byte(4 + len(name)), 0x02, 0x0B, 0x00}, name...)
	d = append(append(d, byte(4+len(value)), 0x36, 0, 0), value...)
	if cp != 0 {
		d = append(d, 6, 0x01, 0, 0, byte(cp>>8), byte(cp))
	}
	return d
}
