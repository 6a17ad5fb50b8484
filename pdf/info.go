package pdf

import (
	"sort"
	"unicode/utf16"
)

// infoDict is a document information dictionary of m, keys in name order.
func infoDict(m map[string]string) dict {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d := make(dict, 0, len(keys))
	for _, k := range keys {
		d = append(d, pair{name(k), infoString(m[k])})
	}
	return d
}

// infoString encodes s as a PDF text string: as it is when it is ASCII,
// else UTF-16BE with a byte order mark.
func infoString(s string) str {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return str(s)
	}
	b := []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return str(b)
}
