package afp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// DefaultCodePage is the code page of TLE text that names none, unless
// IndexOptions says otherwise: 500, International EBCDIC.
const DefaultCodePage = 500

// Non-EBCDIC code pages a 0x01 triplet may name.
const (
	cpASCII  = 367  // US-ASCII
	cpLatin1 = 819  // ISO 8859-1
	cpUTF8   = 1208 // UTF-8
	cpUTF16  = 1200 // UTF-16 big-endian
	cpUCS2   = 13488
)

// ebcdic holds the EBCDIC tables by code page number; ebcdicByCP the same
// as an array, quicker to look up.
var (
	ebcdic     = buildEBCDIC()
	ebcdicByCP = func() (a [1150]*[256]rune) {
		for cp, t := range ebcdic {
			a[cp] = t
		}
		return a
	}()
)

// ebcdicTable returns the table of an EBCDIC code page, or 500's.
func ebcdicTable(cp int) *[256]rune {
	if cp >= 0 && cp < len(ebcdicByCP) && ebcdicByCP[cp] != nil {
		return ebcdicByCP[cp]
	}
	return ebcdicByCP[DefaultCodePage]
}

func buildEBCDIC() map[int]*[256]rune {
	tables := map[int]*[256]rune{37: &cp037}
	for cp, patch := range ebcdicPatches {
		t := cp037
		for _, p := range strings.Fields(patch) {
			b, errB := strconv.ParseUint(p[:2], 16, 8)
			r, errR := strconv.ParseUint(p[3:], 16, 32)
			if errB == nil && errR == nil {
				t[b] = rune(r)
			}
		}
		tables[cp] = &t
	}
	return tables
}

// CodePages lists the code pages DecodeText and EncodeText know, in
// ascending order: EBCDIC 037, 273, 277, 278, 280, 284, 285, 297, 500, 871,
// 1047, 1140–1149, and 367 (ASCII), 819 (ISO 8859-1), 1200 and 13488
// (UTF-16), 1208 (UTF-8). EncodeText knows all but the UTF-16 ones.
func CodePages() []int {
	cps := []int{cpASCII, cpLatin1, cpUTF16, cpUTF8, cpUCS2}
	for cp := range ebcdic {
		cps = append(cps, cp)
	}
	slices.Sort(cps)
	return cps
}

// SupportedCodePage reports whether cp is one of CodePages.
func SupportedCodePage(cp int) bool {
	switch cp {
	case cpASCII, cpLatin1, cpUTF8, cpUTF16, cpUCS2:
		return true
	}
	return ebcdic[cp] != nil
}

// DecodeText decodes text from a structured field. Text in an EBCDIC code
// page that holds only printable ASCII bytes with at least one ASCII digit,
// space or punctuation mark, or mostly ASCII letters, is taken to be ASCII:
// some producers write ASCII where EBCDIC belongs. An unsupported code page
// decodes as 500.
func DecodeText(b []byte, codePage int) string {
	var small [64]byte // most names and values fit: one exact allocation
	return string(decodeAppend(small[:0], b, codePage))
}

// decodeAppend appends the UTF-8 of text b in a code page to dst.
func decodeAppend(dst, b []byte, codePage int) []byte {
	switch codePage {
	case cpUTF8:
		if utf8.Valid(b) {
			return append(dst, b...)
		}
		return latin1(dst, b)
	case cpASCII, cpLatin1:
		return latin1(dst, b)
	case cpUTF16, cpUCS2:
		return utf16BE(dst, b)
	}
	if looksASCII(b) {
		return append(dst, b...)
	}
	t := ebcdicTable(codePage)
	for _, c := range b {
		if r := t[c]; r < utf8.RuneSelf {
			dst = append(dst, byte(r))
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

func latin1(dst, b []byte) []byte {
	for _, c := range b {
		dst = utf8.AppendRune(dst, rune(c))
	}
	return dst
}

func utf16BE(dst, b []byte) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = be16(b[2*i:])
	}
	for _, r := range utf16.Decode(u) {
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// looksASCII tells ASCII from EBCDIC text. EBCDIC letters and digits are
// all above 0x80 and bytes below 0x40 are EBCDIC controls, so printable
// ASCII with a byte below 0x40 (space, digit, punctuation) is ASCII; text of
// bytes 0x40–0x7E only is ASCII when three quarters of it are ASCII letters.
func looksASCII(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	low, letters := 0, 0
	for _, c := range b {
		switch {
		case c < 0x20 || c > 0x7E:
			return false
		case c < 0x40:
			low++
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			letters++
		}
	}
	return low > 0 || letters*4 >= len(b)*3
}

var (
	encodersMu sync.Mutex
	encoders   = map[int]map[rune]byte{}
)

// encoder returns the rune-to-byte table of an EBCDIC code page.
func encoder(cp int) map[rune]byte {
	encodersMu.Lock()
	defer encodersMu.Unlock()
	if e, ok := encoders[cp]; ok {
		return e
	}
	t := ebcdic[cp]
	if t == nil {
		return nil
	}
	e := make(map[rune]byte, 256)
	for b := 255; b >= 0; b-- { // the lowest byte wins for runes mapped twice
		e[t[b]] = byte(b)
	}
	encoders[cp] = e
	return e
}

// EncodeText encodes s in a code page, for fields a program writes (TLE
// values, names, text). Runes the code page lacks are an error.
func EncodeText(s string, codePage int) ([]byte, error) {
	if codePage == cpUTF8 {
		return []byte(s), nil
	}
	limit := rune(0xFF)
	if codePage == cpASCII {
		limit = 0x7F
	}
	e := encoder(codePage)
	if e == nil && codePage != cpASCII && codePage != cpLatin1 || codePage == cpUTF16 || codePage == cpUCS2 {
		return nil, fmt.Errorf("afp: code page %d: %w", codePage, ErrCodePage)
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		b, ok := e[r]
		if e == nil {
			b, ok = byte(r), r <= limit
		}
		if !ok {
			return nil, fmt.Errorf("afp: %q is not in code page %d: %w", r, codePage, ErrCodePage)
		}
		out = append(out, b)
	}
	return out, nil
}
