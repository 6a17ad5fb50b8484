package records

import (
	"fmt"
	"strings"
)

// template is a parsed field value: literal text and {field} references.
type template []part

type part struct {
	literal string
	field   string // set for a reference
}

// parseTemplate splits s into literals and {field} references. "{{" and
// "}}" stand for literal braces.
func parseTemplate(s string) (template, error) {
	var t template
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{', c == '}' && i+1 < len(s) && s[i+1] == '}':
			lit.WriteByte(c)
			i++
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("template %q: unclosed {", s)
			}
			name := strings.TrimSpace(s[i+1 : i+end])
			if name == "" {
				return nil, fmt.Errorf("template %q: empty {}", s)
			}
			if lit.Len() > 0 {
				t = append(t, part{literal: lit.String()})
				lit.Reset()
			}
			t = append(t, part{field: name})
			i += end
		case c == '}':
			return nil, fmt.Errorf("template %q: } without {", s)
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		t = append(t, part{literal: lit.String()})
	}
	return t, nil
}

// render fills the template from values; a missing field is empty.
func (t template) render(values map[string]string) string {
	if len(t) == 1 && t[0].field == "" {
		return t[0].literal
	}
	var b strings.Builder
	for _, p := range t {
		if p.field != "" {
			b.WriteString(values[p.field])
		} else {
			b.WriteString(p.literal)
		}
	}
	return b.String()
}

// literal reports whether the template is fixed text, and the text.
func (t template) literal() (string, bool) {
	for _, p := range t {
		if p.field != "" {
			return "", false
		}
	}
	s := ""
	for _, p := range t {
		s += p.literal
	}
	return s, true
}
