package pdf

import "bytes"

// object parses the object at pos: a direct object, or a reference.
func (l *lexer) object(depth int) (object, error) {
	if depth > maxNesting {
		return nil, l.errorf("arrays and dictionaries nested more than %d deep", maxNesting)
	}
	l.skip()
	if l.pos >= len(l.b) {
		return nil, l.errorf("unexpected end of data")
	}
	switch c := l.b[l.pos]; {
	case c == '/':
		l.pos++
		return l.name()
	case c == '(':
		l.pos++
		return l.literal()
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		return l.dict(depth)
	case c == '<':
		l.pos++
		return l.hex()
	case c == '[':
		l.pos++
		return l.array(depth)
	case c >= '0' && c <= '9':
		if r, ok := l.ref(); ok {
			return r, nil
		}
	}
	start := l.pos
	tok := l.keyword()
	switch string(tok) {
	case "":
		return nil, l.errorf("unexpected %q", l.b[l.pos])
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if c := tok[0]; c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9' {
		return l.number(tok)
	}
	l.pos = start
	return nil, l.errorf("unexpected keyword %q", tok)
}

// ref reads "num gen R" if it is there, and leaves pos alone if not.
func (l *lexer) ref() (ref, bool) {
	start := l.pos
	num, ok1 := l.uint()
	gen, ok2 := l.uint()
	if ok1 && ok2 && l.expect("R") {
		return ref{num, gen}, true
	}
	l.pos = start
	return ref{}, false
}

func (l *lexer) array(depth int) (array, error) {
	var a array
	for {
		l.skip()
		if l.pos < len(l.b) && l.b[l.pos] == ']' {
			l.pos++
			return a, nil
		}
		o, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		a = append(a, o)
	}
}

func (l *lexer) dict(depth int) (dict, error) {
	var d dict
	for {
		l.skip()
		if l.pos+1 < len(l.b) && l.b[l.pos] == '>' && l.b[l.pos+1] == '>' {
			l.pos += 2
			return d, nil
		}
		if l.pos >= len(l.b) {
			return nil, l.errorf("unexpected end of data")
		}
		if l.b[l.pos] != '/' {
			return nil, l.errorf("dictionary key is not a name")
		}
		l.pos++
		key, err := l.name()
		if err != nil {
			return nil, err
		}
		val, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		d = append(d, pair{key, val})
	}
}

// literal reads a literal string after its opening parenthesis.
func (l *lexer) literal() (str, error) {
	start := l.pos
	if end := bytes.IndexAny(l.b[l.pos:], `()\`+"\r"); end >= 0 && l.b[l.pos+end] == ')' {
		l.pos += end + 1 // the common case: nothing to decode
		return str(l.b[start : l.pos-1]), nil
	}
	var out []byte
	nest := 0
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			nest++
		case ')':
			if nest == 0 {
				return str(out), nil
			}
			nest--
		case '\\':
			out = l.escape(out)
			continue
		case '\r': // an end of line in a string is a line feed
			if l.pos < len(l.b) && l.b[l.pos] == '\n' {
				l.pos++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	l.pos = start
	return "", l.errorf("string not closed")
}

// escape decodes the escape sequence after a backslash.
func (l *lexer) escape(out []byte) []byte {
	if l.pos >= len(l.b) {
		return out
	}
	c := l.b[l.pos]
	l.pos++
	switch c {
	case 'n':
		return append(out, '\n')
	case 'r':
		return append(out, '\r')
	case 't':
		return append(out, '\t')
	case 'b':
		return append(out, '\b')
	case 'f':
		return append(out, '\f')
	case '\r': // a line continuation
		if l.pos < len(l.b) && l.b[l.pos] == '\n' {
			l.pos++
		}
		return out
	case '\n':
		return out
	}
	if c < '0' || c > '7' {
		return append(out, c) // \( \) \\ and unknown escapes: the character
	}
	v := int(c - '0')
	for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
		v = v*8 + int(l.b[l.pos]-'0')
		l.pos++
	}
	return append(out, byte(v))
}

// hex reads a hexadecimal string after its opening angle bracket.
func (l *lexer) hex() (str, error) {
	var out []byte
	var hi byte
	half := false
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		var v byte
		switch {
		case c == '>':
			if half {
				out = append(out, hi<<4)
			}
			return str(out), nil
		case isSpace(c):
			continue
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return "", l.errorf("bad character %q in a hexadecimal string", c)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return "", l.errorf("hexadecimal string not closed")
}
