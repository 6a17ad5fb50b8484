package topdf

import (
	"bytes"
	"os"
	"testing"

	"github.com/omsd/omsd/afp"
)

// ebcdicName is an 8-byte name in code page 500 (letters and digits).
func ebcdicName(s string) []byte {
	b := bytes.Repeat([]byte{0x40}, 8)
	for i := 0; i < len(s) && i < 8; i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'I':
			b[i] = 0xC1 + c - 'A'
		case c >= 'J' && c <= 'R':
			b[i] = 0xD1 + c - 'J'
		case c >= 'S' && c <= 'Z':
			b[i] = 0xE2 + c - 'S'
		case c >= '0' && c <= '9':
			b[i] = 0xF0 + c - '0'
		}
	}
	return b
}

// fld is a structured field for a test file.
func fld(id uint32, data ...[]byte) *afp.Field {
	return &afp.Field{ID: id, Data: bytes.Join(data, nil)}
}

// buildAFP writes fields as a print file.
func buildAFP(t testing.TB, fields ...*afp.Field) []byte {
	t.Helper()
	var b bytes.Buffer
	w := afp.NewWriter(&b)
	for _, f := range fields {
		if err := w.WriteField(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pgd is a page descriptor: 1440 units per inch, w×h units.
func pgd(w, h int) []byte {
	return []byte{0, 0, 0x38, 0x40, 0x38, 0x40, byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 16), byte(h >> 8), byte(h), 0, 0, 0}
}

// mcf maps local ID 1 to a character set and code page.
func mcf(charset, codePage string) []byte {
	g := []byte{0, 0}
	g = append(g, 0x0C, 0x02, 0x86, 0x00)
	g = append(g, ebcdicName(charset)...)
	g = append(g, 0x0C, 0x02, 0x85, 0x00)
	g = append(g, ebcdicName(codePage)...)
	g = append(g, 0x04, 0x24, 0x05, 0x01)
	g[1] = byte(len(g))
	return g
}

// page wraps drawing fields in a one-page document of US letter size.
func page(fields ...*afp.Field) []*afp.Field {
	out := []*afp.Field{fld(afp.IDBDT, ebcdicName("DOC1")), fld(afp.IDBPG, ebcdicName("PAGE1")),
		fld(idBAG), fld(idMCF, mcf("C0H200A0", "T1V10500")), fld(idPGD, pgd(12240, 15840)), fld(idEAG)}
	out = append(out, fields...)
	return append(out, fld(afp.IDEPG, ebcdicName("PAGE1")), fld(afp.IDEDT, ebcdicName("DOC1")))
}

// transformFile transforms the AFP in into a PDF file at path.
func transformFile(t *testing.T, in []byte, path string, opt Options) *Result {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Transform(bytes.NewReader(in), f, opt)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}
