package pdf

import (
	"errors"
	"strings"
	"testing"
)

// identity writes references unchanged.
var identity = serializer{mapRef: func(r ref) int32 { return int32(r.num) }}

func parseString(s string) (object, error) {
	l := &lexer{b: []byte(s)}
	return l.object(0)
}

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<< /A 1 /B [1 2.5 -3 +4 -.5 5.] /C true /D false /E null >>", "<< /A 1 /B [1 2.5 -3 4 -.5 5.] /C true /D false /E null >>"},
		{"[1 0 R 2 0 3 0 R 4 5 R]", "[1 0 R 2 0 3 0 R 4 0 R]"}, // outputs use generation 0
		{"(a(b)c)", `(a\(b\)c)`},
		{`(one\ntwo\101\60x\\\)\q)`, "(one\ntwoA0x\\\\\\)q)"},
		{"(line\r\nbreak \\\r\ncontinued)", "(line\nbreak continued)"},
		{"(cr\ronly)", "(cr\nonly)"},
		{`(\r)`, `(\r)`},
		{"<41 42\n4>", "(AB@)"},
		{"<>", "()"},
		{"/N#20ame#2F", "/N#20ame#2F"},
		{"/A#zz", "/A#23zz"},
		{"/", "/"},
		{"<< /A 1 /A 2 >>", "<< /A 2 >>"},
		{"[1 % a comment ] 2\n 2]", "[1 2]"},
		{"<</A/B/C[/D]>>", "<< /A /B /C [/D] >>"},
		{"99999999999999999999", "99999999999999999999"},
		{"[[[]]]", "[[[]]]"},
	}
	for _, tc := range tests {
		o, err := parseString(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := string(identity.append(nil, o)); got != tc.want {
			t.Errorf("%q: written as %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"[1 2", "unexpected end"},
		{"<< /A 1", "unexpected end"},
		{"<< /A >>", `unexpected '>'`},
		{"<< 1 2 >>", "key is not a name"},
		{strings.Repeat("[", 200), "nested more than 100 deep"},
		{strings.Repeat("<< /A ", 200), "nested more than 100 deep"},
		{"(unclosed", "string not closed"},
		{"<4G>", "bad character 'G'"},
		{"<41", "hexadecimal string not closed"},
		{"1.2.3", "bad number"},
		{"--5", "bad number"},
		{".", "bad number"},
		{"endobj", `unexpected keyword "endobj"`},
		{"[6 -1 R]", `unexpected keyword "R"`},
		{"", "unexpected end"},
	}
	for _, tc := range tests {
		o, err := parseString(tc.in)
		if !errors.Is(err, errSyntax) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, %v; want a syntax error saying %q", tc.in, o, err, tc.want)
		}
	}
}

func TestTextString(t *testing.T) {
	tests := map[string]string{
		"plain":                    "plain",
		"\xfe\xff\x00\xfc\x20\xac": "ü€",
		"\xff\xfe\xfc\x00":         "ü",
		"\xef\xbb\xbfK\xc3\xb6ln":  "Köln",
		"\x80\x92\xa0\xe9":         "•™€é",
		"\x18":                     "˘",
	}
	for in, want := range tests {
		if got := textString(str(in)); got != want {
			t.Errorf("textString(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse parses arbitrary bytes as an object: what parses must write
// back to text that parses to the same object.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"<< /A [1 2.5 (x\\)) <4142>] /B 3 0 R >>", "/N#20a", "(a(b)\\101)", "[1 0 R 2]"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l := &lexer{b: data}
		o, err := l.object(0)
		if err != nil {
			return
		}
		first := identity.append(nil, o)
		again, err := parseString(string(first))
		if err != nil {
			t.Fatalf("%q written as %q, which does not parse: %v", data, first, err)
		}
		if second := identity.append(nil, again); string(second) != string(first) {
			t.Fatalf("%q written as %q, then as %q", data, first, second)
		}
	})
}
