package afp

import (
	"bytes"
	"testing"
)

// Builders of small print files for tests, in EBCDIC 500.

func enc500(t testing.TB, s string) []byte {
	t.Helper()
	b, err := EncodeText(s, 500)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func token(t testing.TB, s string) []byte {
	b := enc500(t, s)
	for len(b) < 8 {
		b = append(b, 0x40)
	}
	return b
}

func tleData(t testing.TB, name, value string) []byte {
	n, v := enc500(t, name), enc500(t, value)
	d := append([]byte{byte(4 + len(n)), tripletFQN, fqnAttributeName, 0}, n...)
	return append(append(d, byte(4+len(v)), tripletValue, 0, 0), v...)
}

func tleField(t testing.TB, name, value string) []byte {
	return sf(IDTLE, 0, 0, tleData(t, name, value))
}

func immField(t testing.TB, m string) []byte { return sf(IDIMM, 0, 0, token(t, m)) }

func nopField(t testing.TB, text string) []byte { return sf(IDNOP, 0, 0, enc500(t, text)) }

// pageFields is a page with some text; extra fields go after its EAG.
func pageFields(t testing.TB, n int, extra ...[]byte) []byte {
	name := token(t, "P"+string(rune('A'+n%26)))
	return cat(sf(IDBPG, 0, 0, name), sf(0xD3A8C9, 0, 0), sf(0xD3A9C9, 0, 0), cat(extra...),
		sf(0xD3A89B, 0, 0), sf(0xD3EE9B, 0, 0, []byte{0x2B, 0xD3, 2, 0xF8}), sf(0xD3A99B, 0, 0), sf(IDEPG, 0, 0, name))
}

func groupFields(t testing.TB, name string, parts ...[]byte) []byte {
	return cat(sf(IDBNG, 0, 0, token(t, name)), cat(parts...), sf(IDENG, 0, 0, token(t, name)))
}

func docFields(parts ...[]byte) []byte { return cat(bdt, cat(parts...), edt) }

// checkLayout checks that header, pieces and trailer cut the input into
// consecutive spans.
func checkLayout(t *testing.T, idx *Index) {
	t.Helper()
	at := idx.Header.End()
	if idx.Header.Offset != 0 {
		t.Errorf("header starts at %d", idx.Header.Offset)
	}
	for _, p := range idx.Pieces {
		if p.Offset != at {
			t.Errorf("piece %d starts at %d, want %d", p.Seq, p.Offset, at)
		}
		at = p.End()
	}
	if idx.Trailer.Offset != at || idx.Trailer.End() != idx.Size {
		t.Errorf("trailer %+v, want from %d to %d", idx.Trailer, at, idx.Size)
	}
}

func mustIndex(t *testing.T, in []byte, opt IndexOptions) *Index {
	t.Helper()
	idx, err := BuildIndex(bytes.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, idx)
	return idx
}
