package topdf

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/omsd/omsd/afp"
)

// imageObject is a BIM…EIM with the IPD data given.
func imageObject(ipd []byte) []*afp.Field {
	return []*afp.Field{fld(idBIM, ebcdicName("IMG1")), fld(idIPD, ipd), fld(idEIM, ebcdicName("IMG1"))}
}

// TestHostileInput: lying sizes and lengths, self-including overlays and
// images larger than any page end in a warning or an error, never a
// panic, and nothing is allocated by a size read from the input.
func TestHostileInput(t *testing.T) {
	huge := []byte{0x70, 0x00, 0x91, 0x01, 0xFF,
		0x94, 0x09, 0x00, 0x09, 0x60, 0x09, 0x60, 0xFF, 0xFF, 0xFF, 0xFF, // 65535×65535 pixels
		0x95, 0x02, 0x03, 0x01, 0x96, 0x01, 0x08,
		0xFE, 0x92, 0x00, 0x04, 1, 2, 3, 4, 0x93, 0x00, 0x71, 0x00}
	lying := []byte{0x70, 0x00, 0x91, 0x01, 0xFF, 0x94, 0x09, 0x00, 0x09, 0x60, 0x09, 0x60, 0x00, 0x10, 0x00, 0x10,
		0xFE, 0x92, 0x7F, 0xFF, 1, 2, 3} // says 32,767 bytes, has 3
	short := []byte{0x70, 0x00, 0x94, 0x09, 0x00, 0x09, 0x60, 0x09, 0x60, 0x00, 0x40, 0x00, 0x40,
		0x95, 0x02, 0x03, 0x01, 0x96, 0x01, 0x08, 0xFE, 0x92, 0x00, 0x02, 1, 2} // 64×64 grey in 2 bytes
	selfOverlay := []*afp.Field{fld(afp.IDBRG), fld(idBMO, ebcdicName("O1LOOP")),
		fld(idIPO, ebcdicName("O1LOOP"), []byte{0, 0, 0, 0, 0, 0}), fld(idEMO, ebcdicName("O1LOOP")), fld(afp.IDERG)}
	ptxLying := []byte{0x2B, 0xD3, 0x10, 0xDB, 0xC1}                                      // TRN says 16 bytes, has 1
	ptxRepeat := []byte{0x2B, 0xD3, 0x03, 0xF1, 0x01, 0x06, 0xEF, 0xFF, 0xFF, 0xC1, 0xC2} // RPS 65,535 bytes
	cases := []struct {
		name   string
		fields []*afp.Field
		want   string // in a warning
	}{
		{"huge image", page(imageObject(huge)...), "65535×65535"},
		{"lying image length", page(imageObject(lying)...), "length 32767"},
		{"short image data", page(imageObject(short)...), "needs 4096"},
		{"self-including overlay", append(selfOverlay, page(fld(idIPO, ebcdicName("O1LOOP"), []byte{0, 0, 0, 0, 0, 0}))...), "nested more than"},
		{"missing overlay", page(fld(idIPO, ebcdicName("O1NONE"), []byte{0, 0, 0, 0, 0, 0})), "not in the resource group"},
		{"lying text length", page(fld(idBPT), fld(idPTX, ptxLying), fld(idEPT)), "length 16"},
		{"short include", page(fld(idIPS, []byte{1, 2})), "want at least 14"},
		{"repeat string", page(fld(idBPT), fld(idPTX, ptxRepeat), fld(idEPT)), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := buildAFP(t, c.fields...)
			res, err := Transform(bytes.NewReader(in), io.Discard, Options{})
			if err != nil {
				t.Fatalf("transform: %v", err)
			}
			var all []string
			for _, w := range res.Warnings {
				all = append(all, w.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), c.want) {
				t.Errorf("no warning with %q among:\n%s", c.want, strings.Join(all, "\n"))
			}
		})
	}
	// a truncated file is an error naming the input, not a panic
	in := buildAFP(t, page(fld(idBPT), fld(idPTX, ptxRepeat), fld(idEPT))...)
	_, err := Transform(bytes.NewReader(in[:len(in)-5]), io.Discard, Options{})
	if !errors.Is(err, ErrInput) {
		t.Errorf("truncated file: %v, want ErrInput", err)
	}
}

// tle is a TLE with an attribute name and value in code page 500.
func tle(name, value string) *afp.Field {
	n, _ := afp.EncodeText(name, 500)
	v, _ := afp.EncodeText(value, 500)
	d := append([]byte{byte(4 + len(n)), 0x02, 0x0B, 0x00}, n...)
	d = append(append(d, byte(4+len(v)), 0x36, 0, 0), v...)
	return fld(afp.IDTLE, d)
}

// TestPiece renders one named page group of three, with its name as the
// PDF's outline entry, and refuses a fourth.
func TestPiece(t *testing.T) {
	var fields []*afp.Field
	fields = append(fields, fld(afp.IDBDT, ebcdicName("DOC1")))
	for _, g := range []string{"ACC1", "ACC2", "ACC3"} {
		fields = append(fields, fld(afp.IDBNG, ebcdicName(g)), tle("ACCOUNT", "47"+g[3:]))
		for p := 0; p < 2; p++ {
			fields = append(fields, page(fld(idBPT), fld(idPTX, []byte{0x2B, 0xD3, 0x03, 0xF1, 0x01, 0x06, 0xDB, 0xC1, 0xC3, 0xC3, 0xF1 + byte(g[3]-'1'), 0x02, 0xF8}), fld(idEPT))[1:][:9]...)
		}
		fields = append(fields, fld(afp.IDENG, ebcdicName(g)))
	}
	fields = append(fields, fld(afp.IDEDT, ebcdicName("DOC1")))
	in := buildAFP(t, fields...)
	var out bytes.Buffer
	res, err := Transform(bytes.NewReader(in), &out, Options{Piece: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 2 || len(res.Groups) != 1 || res.Groups[0] != "ACC2" {
		t.Errorf("piece 2: %d pages, groups %q; want 2 pages of ACC2", res.Pages, res.Groups)
	}
	for _, want := range []string{"/Outlines", pdfText("ACC2 (ACCOUNT 472)"), "/ACCOUNT " + pdfText("472")} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("the PDF of a page group lacks %s (its name and TLEs as outline entry and metadata)", want)
		}
	}
	all, err := Transform(bytes.NewReader(in), io.Discard, Options{})
	if err != nil || all.Pages != 6 || len(all.Groups) != 3 {
		t.Errorf("whole file: %+v, %v; want 6 pages in 3 groups", all, err)
	}
	if _, err := Transform(bytes.NewReader(in), io.Discard, Options{Piece: 4}); !errors.Is(err, ErrPiece) {
		t.Errorf("piece 4 of 3: %v, want ErrPiece", err)
	}
	pages, err := Transform(bytes.NewReader(in), io.Discard, Options{FirstPage: 2, LastPage: 4})
	if err != nil || pages.Pages != 3 || len(pages.Groups) != 2 {
		t.Errorf("pages 2 to 4: %+v, %v; want 3 pages of 2 groups", pages, err)
	}
	if _, err := Transform(bytes.NewReader(in), io.Discard, Options{FirstPage: 7}); !errors.Is(err, ErrPiece) {
		t.Errorf("page 7 of 6: %v, want ErrPiece", err)
	}
}
