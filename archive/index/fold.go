package index

import (
	"strconv"
	"strings"
	"unicode"
)

// foldTable maps the letters with diacritics of the Latin alphabets to
// their base letters, and ß, æ, œ, ø, þ to what they are written as.
var foldTable = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'þ': "th", 'ð': "d", 'đ': "d", 'ł': "l", 'ı': "i",
}

// baseOf maps precomposed Latin letters to their base letter.
var baseOf = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáâãäåāăąǎ", 'c': "çćĉċč", 'd': "ď", 'e': "èéêëēĕėęě", 'g': "ĝğġģ", 'h': "ĥħ",
		'i': "ìíîïĩīĭįǐ", 'j': "ĵ", 'k': "ķ", 'l': "ĺļľŀ", 'n': "ñńņňŉ", 'o': "òóôõöōŏőǒ",
		'r': "ŕŗř", 's': "śŝşšș", 't': "ţťŧț", 'u': "ùúûüũūŭůűųǔ", 'w': "ŵ", 'y': "ýÿŷ", 'z': "źżž",
	}
	m := map[rune]rune{}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// Fold lowers s and takes its accents off: "Straße" and "STRASSE" fold
// alike, as do "Müller" and "Muller".
func Fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if t, ok := foldTable[r]; ok {
			b.WriteString(t)
			continue
		}
		if base, ok := baseOf[r]; ok {
			r = base
		}
		if unicode.Is(unicode.Mn, r) { // a combining accent
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Words are the folded words of s, split at everything not a letter or
// digit.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
