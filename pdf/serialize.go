package pdf

import (
	"encoding/hex"
	"fmt"
	"strconv"
)

// outRef is a reference already numbered for the output being written: the
// serializer writes it as it is, where it renumbers a ref.
type outRef int32

// serializer appends objects in PDF syntax to a buffer, renumbering
// references through mapRef (0: write null instead).
type serializer struct {
	mapRef func(ref) int32
	// crypt, if not nil, encrypts every string written.
	crypt func([]byte) []byte
}

func (s *serializer) append(b []byte, o object) []byte {
	switch v := o.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case real:
		return append(b, v...)
	case name:
		return appendName(b, v)
	case str:
		if s.crypt != nil {
			return appendHex(b, s.crypt([]byte(v)))
		}
		return appendString(b, v)
	case hexString:
		if s.crypt != nil {
			return appendHex(b, s.crypt(v))
		}
		return appendHex(b, v)
	case array:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ' ')
			}
			b = s.append(b, e)
		}
		return append(b, ']')
	case dict:
		return s.appendDict(b, v, "")
	case ref:
		if n := s.mapRef(v); n != 0 {
			return appendRef(b, n)
		}
		return append(b, "null"...)
	case outRef:
		return appendRef(b, int32(v))
	}
	panic(fmt.Sprintf("pdf: cannot write a %T", o)) // only this package builds objects
}

// appendDict writes a dictionary, leaving out key skip and every entry
// that a later one of the same key overrides.
func (s *serializer) appendDict(b []byte, d dict, skip name) []byte {
	var last map[name]int // for big dictionaries: where each key last occurs
	if len(d) > 32 {
		last = make(map[name]int, len(d))
		for i, p := range d {
			last[p.key] = i
		}
	}
	b = append(b, "<<"...)
	for i, p := range d {
		overridden := last != nil && last[p.key] != i || last == nil && d[i+1:].has(p.key)
		if p.key == skip || overridden {
			continue
		}
		b = append(b, ' ')
		b = appendName(b, p.key)
		b = append(b, ' ')
		b = s.append(b, p.val)
	}
	return append(b, " >>"...)
}

func appendRef(b []byte, n int32) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " 0 R"...)
}

// appendName writes a name with #xx escapes for anything but regular
// printable characters.
func appendName(b []byte, n name) []byte {
	b = append(b, '/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c <= ' ' || c > '~' || c == '#' || isDelim(c) {
			b = append(b, '#', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}

// appendString writes a literal string; only parentheses, backslashes and
// carriage returns (which a reader would turn into line feeds) are escaped.
func appendString(b []byte, s str) []byte {
	b = append(b, '(')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', ')', '\\':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return append(b, ')')
}

// appendHex writes a hexadecimal string.
func appendHex(b []byte, v []byte) []byte {
	b = append(b, '<')
	b = hex.AppendEncode(b, v)
	return append(b, '>')
}
