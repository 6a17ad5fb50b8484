package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// nameMax is the longest file name, in bytes, of the filesystems omsd runs
// on (NAME_MAX).
const nameMax = 255

// errorNameMax bounds a rejected file's name in the error folder, leaving
// room for ".error.json" after it and a ".NNNN" that tells apart files of
// the same name.
const errorNameMax = nameMax - len(".error.json") - len(".9999")

// extMax is the longest extension kept from a file name; a longer "extension"
// is just the end of the name.
const extMax = 16

// errorFileName is the name a rejected file called name gets in the error
// folder: name itself when it fits and is UTF-8; else its beginning, with
// bytes that are not UTF-8 replaced by "_" and cut at a character boundary,
// then "~" and 8 hex digits of the original name's SHA-256, then its
// extension — still recognisable, and distinct for distinct names. The
// original name is kept in NAME.error.json.
func errorFileName(name string) string {
	if len(name) <= errorNameMax && utf8.ValidString(name) {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	tag := "~" + hex.EncodeToString(sum[:4])
	clean := strings.ToValidUTF8(name, "_")
	ext := shortExt(clean)
	stem := strings.TrimSuffix(clean, ext)
	return cutAtRune(stem, errorNameMax-len(tag)-len(ext)) + tag + ext
}

// shortExt is name's extension if it is short and valid UTF-8, else "".
func shortExt(name string) string {
	ext := filepath.Ext(name)
	if len(ext) > extMax || !utf8.ValidString(ext) {
		return ""
	}
	return ext
}

// cutAtRune returns s cut to at most n bytes, not inside a UTF-8 sequence.
func cutAtRune(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// inputName is the name of a job's print file in its job directory, for a
// file that arrived as name: "input" and name's extension, if it has a short
// one (any legal name gives a short enough name).
func inputName(name string) string {
	return "input" + strings.ToLower(shortExt(name))
}
