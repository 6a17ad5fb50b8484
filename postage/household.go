package postage

import (
	"bytes"
	"hash/maphash"
	"unicode"
	"unicode/utf8"

	"github.com/omsd/omsd/meta"
)

// householdStats counts what householding did.
type householdStats struct {
	households int // keys shared by two pieces or more
	merged     int // pieces in envelopes with more than one piece
	envelopes  int // envelopes with more than one piece
}

// households groups the pieces: heads lists the first piece of each group
// in input order, next links each piece to the next of its group (-1 at
// the end). Pieces with exceptions, an empty key, or householding off are
// groups of one.
//
// Keys are hashed and the hashes sorted; pieces with equal hashes are then
// compared by their keys, so a hash collision never merges two households.
func (pl *planner) households() (heads, next []int32) {
	n := len(pl.pieces)
	next = make([]int32, n)
	for i := range next {
		next[i] = -1
	}
	joined := make([]bool, n) // the piece follows an earlier one of its household
	if pl.cfg.Household.Enabled {
		hs := pl.hashes
		pl.scratch = sortKeyed(hs, pl.scratch)
		for i := 0; i < len(hs); {
			j := i + 1
			for j < len(hs) && hs[j].key == hs[i].key {
				j++
			}
			if j-i > 1 {
				pl.linkHouseholds(hs[i:j], next, joined)
			}
			i = j
		}
	}
	pl.hashes, pl.keys, pl.keyAt = nil, arena{}, nil
	heads = make([]int32, 0, n)
	for i := range joined {
		if !joined[i] {
			heads = append(heads, int32(i))
		}
	}
	return heads, next
}

// hashKey records the hash of piece i's household key, if it has one, and
// keeps the key for comparing. checkData calls it for each good piece
// while the piece's metadata is at hand.
func (pl *planner) hashKey(i int, m meta.Fields) {
	pl.keyBuf = householdKey(pl.keyBuf[:0], m, pl.hhFields, pl.cfg.Household.Normalise)
	if len(pl.keyBuf) == 0 || len(pl.keyBuf) > maxKeyLen {
		return
	}
	pl.keyAt[i] = pl.keys.add(pl.keyBuf)
	pl.hashes = append(pl.hashes, keyed{maphash.Bytes(pl.seed, pl.keyBuf), int32(i)})
}

// maxKeyLen bounds a household key; a piece with a longer key (which no
// real name and address make) is not householded.
const maxKeyLen = 64 << 10

// arena keeps byte strings in large chunks, so that a million small keys
// cost a few allocations.
type arena struct {
	chunks [][]byte
}

// arenaChunk is the size of an arena's chunks.
const arenaChunk = 4 << 20

// span locates bytes in an arena.
type span struct {
	chunk, off, len int32
}

// add copies b into the arena and returns where it is.
func (a *arena) add(b []byte) span {
	n := len(a.chunks) - 1
	if n < 0 || cap(a.chunks[n])-len(a.chunks[n]) < len(b) {
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, len(b))))
		n++
	}
	off := len(a.chunks[n])
	a.chunks[n] = append(a.chunks[n], b...)
	return span{int32(n), int32(off), int32(len(b))}
}

// get returns the bytes at s.
func (a *arena) get(s span) []byte { return a.chunks[s.chunk][s.off : s.off+s.len] }

// linkHouseholds links the pieces of run (equal hashes, input order) that
// have equal keys into households.
func (pl *planner) linkHouseholds(run []keyed, next []int32, joined []bool) {
	type class struct {
		key        []byte
		tail, size int32
	}
	var classes []class
	for _, h := range run {
		key := pl.keys.get(pl.keyAt[h.val])
		found := false
		for c := range classes {
			if bytes.Equal(classes[c].key, key) {
				next[classes[c].tail] = h.val
				joined[h.val] = true
				classes[c].tail = h.val
				classes[c].size++
				found = true
				break
			}
		}
		if !found {
			classes = append(classes, class{key: key, tail: h.val, size: 1})
		}
	}
	for _, c := range classes {
		if c.size > 1 {
			pl.household.households++
		}
	}
}

// householdKey appends the key of a piece to buf: the values of fields,
// normalised or exact, separated by 0x1f. It appends nothing when all the
// values are empty.
func householdKey(buf []byte, m meta.Fields, fields []string, norm bool) []byte {
	start, empty := len(buf), true
	for i, f := range fields {
		if i > 0 {
			buf = append(buf, 0x1f)
		}
		before := len(buf)
		if norm {
			buf = appendNormalised(buf, m.Get(f))
		} else {
			buf = append(buf, m.Get(f)...)
		}
		if len(buf) > before {
			empty = false
		}
	}
	if empty {
		return buf[:start]
	}
	return buf
}

// appendNormalised appends s to buf folded for comparison: lower case,
// letters with diacritics spelt out (ä as ae, é as e, ß as ss), only
// letters and digits kept, and street words abbreviated (strasse as str,
// street as st).
func appendNormalised(buf []byte, s string) []byte {
	start := len(buf)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if f := asciiFold[c]; f != 0 {
				buf = append(buf, f)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		buf = appendFolded(buf, unicode.ToLower(r))
	}
	out := buf[start:]
	for _, ab := range abbreviations {
		out = replaceAll(out, ab.long, ab.short)
	}
	return buf[:start+len(out)]
}

// appendFolded appends the lower-case letter or digit r, spelt in ASCII
// where a spelling is known; other characters are dropped.
func appendFolded(buf []byte, r rune) []byte {
	if f, ok := folds[r]; ok {
		return append(buf, f...)
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return utf8.AppendRune(buf, r)
	}
	return buf
}

// asciiFold maps ASCII letters and digits to lower case, the rest to 0.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	return t
}()

// folds spells letters with diacritics in ASCII.
var folds = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'å': "a",
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ý': "y", 'ÿ': "y",
}

// abbreviations are street words replaced by their short forms.
var abbreviations = []struct{ long, short []byte }{
	{[]byte("strasse"), []byte("str")},
	{[]byte("street"), []byte("st")},
	{[]byte("avenue"), []byte("ave")},
	{[]byte("road"), []byte("rd")},
}

// replaceAll replaces each old in b by the shorter new, in place, and
// returns the shortened slice.
func replaceAll(b, old, new []byte) []byte {
	i := bytes.Index(b, old)
	if i < 0 {
		return b
	}
	w := i
	for i >= 0 {
		w += copy(b[w:], new)
		rest := b[i+len(old):]
		j := bytes.Index(rest, old)
		if j < 0 {
			w += copy(b[w:], rest)
			break
		}
		w += copy(b[w:], rest[:j])
		i += len(old) + j
	}
	return b[:w]
}
