package topdf

import (
	"bufio"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/omsd/omsd/afp"
)

// DefaultFontDir is where Debian's fonts-liberation installs its fonts.
const DefaultFontDir = "/usr/share/fonts/truetype/liberation"

//go:embed fonts.txt
var shippedFontTable string

// ShippedFontTable is the font table the transform uses unless told
// otherwise: a starting point for an edited copy.
func ShippedFontTable() string { return shippedFontTable }

// fontRule maps character set names to a TrueType file.
type fontRule struct {
	pattern         string
	file            string
	ascent, descent int
}

// fontTable is a parsed font table.
type fontTable struct {
	rules []fontRule
	sizes map[string]float64
}

// parseFontTable reads a font table (see fonts.txt).
func parseFontTable(text string) (*fontTable, error) {
	t := &fontTable{sizes: map[string]float64{}}
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case f[0] == "font" && len(f) == 5:
			a, errA := strconv.Atoi(f[3])
			d, errD := strconv.Atoi(f[4])
			if errA != nil || errD != nil {
				return nil, fmt.Errorf("%w: font table line %d: ascender and descender must be integers", ErrFont, line)
			}
			t.rules = append(t.rules, fontRule{pattern: strings.ToUpper(f[1]), file: f[2], ascent: a, descent: d})
		case f[0] == "size" && len(f) == 3:
			v, err := strconv.ParseFloat(f[2], 64)
			if err != nil || v <= 0 || v > 1000 {
				return nil, fmt.Errorf("%w: font table line %d: size %q is not a point size", ErrFont, line, f[2])
			}
			t.sizes[strings.ToUpper(f[1])] = v
		default:
			return nil, fmt.Errorf("%w: font table line %d: want \"font PATTERN FILE ASCENT DESCENT\" or \"size CODE POINTS\"", ErrFont, line)
		}
	}
	if len(t.rules) == 0 {
		return nil, fmt.Errorf("%w: font table has no font lines", ErrFont)
	}
	return t, nil
}

// match reports whether name matches a pattern with ? and a trailing *.
func match(pattern, name string) bool {
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '*' && i == len(pattern)-1:
			return true
		case i >= len(name):
			return false
		case pattern[i] != '?' && pattern[i] != name[i]:
			return false
		}
	}
	return len(pattern) == len(name)
}

// lookup finds the rule for a character set name; exact tells whether a
// rule other than a catch-all matched.
func (t *fontTable) lookup(charset string) (r fontRule, exact bool) {
	name := strings.ToUpper(charset)
	if len(name) > 2 && name[0] == 'X' {
		name = "C0" + name[2:]
	}
	for _, r := range t.rules {
		if match(r.pattern, name) {
			return r, r.pattern != "*"
		}
	}
	return t.rules[len(t.rules)-1], false
}

// size is the point size coded in a character set name; ok is false when
// the code is not in the table.
func (t *fontTable) size(charset string) (float64, bool) {
	if len(charset) < 8 {
		return 10, false
	}
	v, ok := t.sizes[strings.ToUpper(charset[6:8])]
	if !ok {
		return 10, false
	}
	return v, true
}

// codePageNumber is the code page of an IBM code page resource name:
// T1V10500 → 500, T1001140 → 1140; 0 when the name does not say.
func codePageNumber(name string) int {
	if len(name) != 8 || !strings.HasPrefix(strings.ToUpper(name), "T1") {
		return 0
	}
	n, err := strconv.Atoi(name[4:])
	if err != nil || !afp.SupportedCodePage(n) && n != cpWindows1252 {
		return 0
	}
	return n
}

// Code pages whose tables are here rather than in the afp package.
const (
	cpWindows1252 = 1252
	cpISO88591    = 819
	cpASCII       = 367
)

// windows1252 is Windows-1252 from 0x80 to 0x9F; the rest is ISO 8859-1.
var windows1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

// codePageTable maps the bytes of an EBCDIC or single-byte code page to
// Unicode, through the afp package's tables.
func codePageTable(cp int) *[256]rune {
	var t [256]rune
	switch cp {
	case cpWindows1252, cpISO88591, cpASCII:
		for c := range t {
			t[c] = rune(c)
		}
		if cp == cpWindows1252 {
			copy(t[0x80:], windows1252[:])
		}
		return &t
	}
	for c := 0; c < 256; c++ {
		// A leading EBCDIC 'A' keeps the afp package from reading the
		// byte as ASCII; the rune after it is the byte's.
		s := afp.DecodeText([]byte{0xC1, byte(c)}, cp)
		_, n := utf8.DecodeRuneInString(s)
		r, _ := utf8.DecodeRuneInString(s[n:])
		t[c] = r
	}
	return &t
}

// readFontFile loads a TrueType file of the font directory.
func readFontFile(dir, file string) (*trueType, error) {
	path := filepath.Join(dir, filepath.Base(file))
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v (install the Debian package fonts-liberation, or point the font directory at the fonts)", ErrFont, err)
	}
	if fi.Size() > maxFontBytes {
		return nil, fmt.Errorf("%w: %s is %d bytes, more than %d", ErrFont, path, fi.Size(), maxFontBytes)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFont, err)
	}
	f, err := parseTrueType(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}
