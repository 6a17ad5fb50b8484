package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Limits on what one object may hold; a file beyond them is damaged.
const (
	maxNesting = 100 // arrays and dictionaries within each other
)

// errSyntax is the parser's error; parseError gives it a position.
var errSyntax = errors.New("syntax error")

// isSpace reports PDF white space.
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// isDelim reports PDF delimiters.
func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// isRegular reports characters that continue a name, number or keyword.
func isRegular(c byte) bool { return !isSpace(c) && !isDelim(c) }

// lexer reads PDF objects from b, starting at pos. Positions are offsets
// into b; base is added to them in error messages (b may be a window of the
// file, or a decoded object stream).
type lexer struct {
	b    []byte
	pos  int
	base int64
}

func (l *lexer) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", errSyntax, l.base+int64(l.pos), fmt.Sprintf(format, args...))
}

// skip skips white space and comments.
func (l *lexer) skip() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// keyword reads a run of regular characters (a keyword or number) at pos.
func (l *lexer) keyword() []byte {
	start := l.pos
	for l.pos < len(l.b) && isRegular(l.b[l.pos]) {
		l.pos++
	}
	return l.b[start:l.pos]
}

// expect skips white space and reads keyword kw, followed by a delimiter,
// white space or the end.
func (l *lexer) expect(kw string) bool {
	l.skip()
	if !bytes.HasPrefix(l.b[l.pos:], []byte(kw)) {
		return false
	}
	end := l.pos + len(kw)
	if end < len(l.b) && isRegular(l.b[end]) {
		return false
	}
	l.pos = end
	return true
}

// uint reads an unsigned decimal integer of at most 10 digits, as used in
// object headers and references.
func (l *lexer) uint() (int, bool) {
	l.skip()
	start, n := l.pos, 0
	for l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '9' && l.pos-start < 10 {
		n = n*10 + int(l.b[l.pos]-'0')
		l.pos++
	}
	if l.pos == start || l.pos < len(l.b) && isRegular(l.b[l.pos]) {
		l.pos = start
		return 0, false
	}
	return n, true
}

// header reads an object header "num gen obj".
func (l *lexer) header() (num, gen int, ok bool) {
	start := l.pos
	num, ok1 := l.uint()
	gen, ok2 := l.uint()
	if !ok1 || !ok2 || !l.expect("obj") {
		l.pos = start
		return 0, 0, false
	}
	return num, gen, true
}

// number parses an integer or real number token.
func (l *lexer) number(tok []byte) (object, error) {
	if i, err := strconv.ParseInt(string(tok), 10, 64); err == nil {
		return i, nil
	}
	digits, dot := 0, false
	for i, c := range tok {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		case (c == '-' || c == '+') && i == 0:
		default:
			return nil, l.errorf("bad number %q", tok)
		}
	}
	if digits == 0 {
		return nil, l.errorf("bad number %q", tok)
	}
	return real(tok), nil // a real, or an integer too long for int64
}

// name reads a name after its slash.
func (l *lexer) name() (name, error) {
	tok := l.keyword()
	if bytes.IndexByte(tok, '#') < 0 {
		return name(tok), nil
	}
	out := make([]byte, 0, len(tok))
	for i := 0; i < len(tok); i++ {
		if tok[i] == '#' && i+2 < len(tok) {
			if v, err := strconv.ParseUint(string(tok[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, tok[i])
	}
	return name(out), nil
}
