package marks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/omsd/omsd/meta"
)

// template is a compiled content template: literal text and fields.
type template struct {
	src   string
	parts []part
}

// part is literal text (field == "") or a field with its width (0: as
// long as the value).
type part struct {
	lit   string
	field string // job, envelope, …, or "meta" with key
	key   string
	width int
}

// templateFields are the fields a template may use.
var templateFields = map[string]bool{
	"job": true, "envelope": true, "piece": true, "sheet": true, "sheets": true, "eoc": true,
	"counter": true, "feeders": true, "divert": true, "reprint": true,
}

// maxWidth bounds a field's width.
const maxWidth = 64

// compileTemplate parses src: literal text with {field} or {field:width},
// "{{" and "}}" for braces.
func compileTemplate(src string) (template, error) {
	t := template{src: src}
	var lit strings.Builder
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case (c == '{' || c == '}') && i+1 < len(src) && src[i+1] == c:
			lit.WriteByte(c)
			i++
		case c == '}':
			return t, fmt.Errorf("template %q: unmatched }", src)
		case c == '{':
			end := strings.IndexByte(src[i:], '}')
			if end < 0 {
				return t, fmt.Errorf("template %q: unclosed {", src)
			}
			p, err := parseField(src[i+1 : i+end])
			if err != nil {
				return t, fmt.Errorf("template %q: %w", src, err)
			}
			if lit.Len() > 0 {
				t.parts = append(t.parts, part{lit: lit.String()})
				lit.Reset()
			}
			t.parts = append(t.parts, p)
			i += end
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, part{lit: lit.String()})
	}
	return t, nil
}

// parseField reads "name" or "name:width".
func parseField(s string) (part, error) {
	name, w, hasWidth := strings.Cut(s, ":")
	p := part{field: name}
	if key, ok := strings.CutPrefix(name, "meta."); ok && key != "" {
		p.field, p.key = "meta", key
	} else if !templateFields[name] {
		return p, fmt.Errorf("unknown field {%s}", name)
	}
	if hasWidth {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 || n > maxWidth {
			return p, fmt.Errorf("field {%s}: width %q: want 1 to %d", s, w, maxWidth)
		}
		p.width = n
	}
	return p, nil
}

// uses reports whether the template has the named field.
func (t template) uses(field string) bool {
	for _, p := range t.parts {
		if p.field == field {
			return true
		}
	}
	return false
}

// literals returns the template's literal text.
func (t template) literals() string {
	var b strings.Builder
	for _, p := range t.parts {
		b.WriteString(p.lit)
	}
	return b.String()
}

// values are what a template's fields stand for on one sheet.
type values struct {
	job              string
	envelope, piece  int
	sheet, sheets    int
	counter, reprint int
	divert           string
	feeders          []bool // by station - 1
	meta             meta.Fields
	stations         int
}

// expand writes the template for one sheet.
func (t template) expand(v *values) (string, error) {
	var b []byte
	for _, p := range t.parts {
		if p.field == "" {
			b = append(b, p.lit...)
			continue
		}
		s, err := p.value(v)
		if err != nil {
			return "", err
		}
		if b, err = appendPadded(b, s, p); err != nil {
			return "", err
		}
	}
	return string(b), nil
}

// value is the text of a field before padding.
func (p part) value(v *values) (string, error) {
	switch p.field {
	case "job":
		return v.job, nil
	case "envelope":
		return strconv.Itoa(v.envelope), nil
	case "piece":
		return strconv.Itoa(v.piece), nil
	case "sheet":
		return strconv.Itoa(v.sheet), nil
	case "sheets":
		return strconv.Itoa(v.sheets), nil
	case "eoc":
		if v.sheet == v.sheets {
			return "1", nil
		}
		return "0", nil
	case "counter":
		return strconv.Itoa(v.counter), nil
	case "reprint":
		return strconv.Itoa(v.reprint), nil
	case "divert":
		if v.divert == "" {
			return "0", nil
		}
		return v.divert, nil
	case "feeders":
		return feederDigits(v.feeders, max(p.width, v.stations)), nil
	}
	s, ok := v.meta.Lookup(p.key)
	if !ok {
		return "", fmt.Errorf("%w: piece %d has no metadata field %q", ErrContent, v.piece, p.key)
	}
	return s, nil
}

// feederDigits writes one digit per station, 1 if it feeds.
func feederDigits(fed []bool, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
		if i < len(fed) && fed[i] {
			b[i] = '1'
		}
	}
	return string(b)
}

// appendPadded appends s padded to the part's width: digits with zeros
// on the left, other text with spaces on the right.
func appendPadded(b []byte, s string, p part) ([]byte, error) {
	if p.width == 0 {
		return append(b, s...), nil
	}
	if len(s) > p.width {
		return nil, fmt.Errorf("%w: {%s} is %q, longer than its width %d", ErrContent, p.name(), s, p.width)
	}
	pad := strings.Repeat(" ", p.width-len(s))
	if isDigits(s) {
		return append(append(b, strings.Repeat("0", p.width-len(s))...), s...), nil
	}
	return append(append(b, s...), pad...), nil
}

func (p part) name() string {
	if p.field == "meta" {
		return "meta." + p.key
	}
	return p.field
}

// isDigits reports whether s is non-empty and all ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
