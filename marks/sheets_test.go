package marks

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/omsd/omsd/imb"
	"github.com/omsd/omsd/meta"
)

// envs builds simplex envelopes of one piece each with the given sheets.
func envs(sheets ...int) []EnvelopeSheets {
	out := make([]EnvelopeSheets, len(sheets))
	for i, n := range sheets {
		out[i] = EnvelopeSheets{ID: i + 1, Pieces: []PieceSheets{{Seq: i + 1, Pages: n, Sheets: n,
			Meta: meta.FromMap(map[string]string{"zip": fmt.Sprintf("%05d", 10000+i)})}}}
	}
	return out
}

// bitsOf renders the marks of the positions of kind name as a string of
// 0 and 1, in read order.
func bitsOf(p *Profile, s SheetMarks, name string) string {
	var b strings.Builder
	for i, pos := range p.OMR.Positions {
		if strings.EqualFold(pos, name) {
			b.WriteByte("01"[btoi(s.OMR[i])])
		}
	}
	return b.String()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestCollationMarks(t *testing.T) {
	p := mustParse(t, omrYAML)
	sheets, err := Sheets(JobInfo{ID: "7"}, envs(1, 3, 2), p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sheets {
		got = append(got, fmt.Sprintf("%d.%d/%d:%s%s%s%s", s.Envelope, s.SheetInEnvelope, s.SheetsInEnvelope,
			bitsOf(p, s, "BOC"), bitsOf(p, s, "EOC"), bitsOf(p, s, "NBOC"), bitsOf(p, s, "NEOC")))
	}
	want := "1.1/1:1100 2.1/3:1001 2.2/3:0011 2.3/3:0110 3.1/2:1001 3.2/2:0110"
	if strings.Join(got, " ") != want {
		t.Errorf("BOC EOC NBOC NEOC\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	for _, s := range sheets {
		if bitsOf(p, s, "BM") != "1" || bitsOf(p, s, "SAF") != "1" {
			t.Errorf("sheet %d: BM or SAF missing", s.Counter)
		}
	}
}

func TestSequence(t *testing.T) {
	for _, c := range []struct {
		opts string
		bits int
		want string // values per sheet of envelopes of 3, 5 and 2 sheets
	}{
		{"{count: up, zero: false, reset: envelope}", 3, "1 2 3 | 1 2 3 4 5 | 1 2"},
		{"{count: up, zero: false, reset: continuous}", 2, "1 2 3 | 1 2 3 1 2 | 3 1"},
		{"{count: up, zero: true, reset: continuous}", 2, "0 1 2 | 3 0 1 2 3 | 0 1"},
		{"{count: down, zero: false, reset: continuous}", 2, "3 2 1 | 3 2 1 3 2 | 1 3"},
		{"{count: down, zero: true, reset: envelope}", 2, "3 2 1 | 3 2 1 0 3 | 3 2"},
		{"{count: down, zero: true, reset: continuous}", 3, "7 6 5 | 4 3 2 1 0 | 7 6"},
	} {
		src := strings.Replace(omrYAML, "WAS, WAS, WAS", strings.Repeat("WAS, ", c.bits-1)+"WAS", 1) +
			"  sequence: " + c.opts + "\n"
		p := mustParse(t, src)
		sheets, err := Sheets(JobInfo{}, envs(3, 5, 2), p)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i, s := range sheets {
			if i == 3 || i == 8 {
				got = append(got, "|")
			}
			got = append(got, fmt.Sprint(s.Sequence))
			if v := readBits(bitsOf(p, s, "WAS"), false); v != s.Sequence {
				t.Errorf("%s: sheet %d: WAS marks read %d, want %d", c.opts, i+1, v, s.Sequence)
			}
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: sequence %s, want %s", c.opts, g, c.want)
		}
	}
}

// readBits reads marks as a number, the first mark the least significant
// bit unless msb.
func readBits(bits string, msb bool) int {
	v := 0
	for i := range bits {
		j := i
		if !msb {
			j = len(bits) - 1 - i
		}
		v = v<<1 | int(bits[j]-'0')
	}
	return v
}

func TestBitOrder(t *testing.T) {
	for _, first := range []string{"lsb", "msb"} {
		src := omrYAML + "  sequence: {first: " + first + ", zero: true, reset: continuous}\n  match: {first: " + first + "}\n"
		p := mustParse(t, src)
		sheets, err := Sheets(JobInfo{}, envs(1, 1, 1, 1, 1, 1, 1), p)
		if err != nil {
			t.Fatal(err)
		}
		s := sheets[6] // sequence 6 (110), match 7 mod 4 = 3 (11)
		was, mc := bitsOf(p, s, "WAS"), bitsOf(p, s, "MC")
		wantWAS := map[string]string{"lsb": "011", "msb": "110"}[first]
		if s.Sequence != 6 || was != wantWAS || s.Match != 3 || mc != "11" {
			t.Errorf("%s: sequence %d as %s (want 6 as %s), match %d as %s (want 3 as 11)", first, s.Sequence, was, wantWAS, s.Match, mc)
		}
	}
}

func TestMatchCode(t *testing.T) {
	for _, c := range []struct{ count, want string }{
		{"up", "1 1 2 3 0 1"}, {"down", "3 3 2 1 0 3"},
	} {
		p := mustParse(t, omrYAML+"  match: {count: "+c.count+"}\n")
		sheets, err := Sheets(JobInfo{}, envs(2, 1, 1, 1, 1), p)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range sheets {
			got = append(got, fmt.Sprint(readBits(bitsOf(p, s, "MC"), false)))
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("match %s: %s, want %s", c.count, g, c.want)
		}
	}
}

func TestParity(t *testing.T) {
	for _, c := range []struct {
		parity  string
		exclude []string
		odd     bool
	}{
		{"{make: even}", nil, false},
		{"{make: odd}", nil, true},
		{"{make: even, exclude: [BM, SAF]}", []string{"BM", "SAF"}, false},
		{"{make: odd, exclude: [SF1, WAS]}", []string{"SF1", "WAS"}, true},
	} {
		p := mustParse(t, omrYAML+"  parity: "+c.parity+"\n")
		e := envs(1, 4, 2, 3, 1, 7)
		e[1].Inserts = []string{"brochure"}
		e[3].Inserts, e[3].Divert = []string{"return", "brochure"}, "B2"
		sheets, err := Sheets(JobInfo{}, e, p)
		if err != nil {
			t.Fatal(err)
		}
		sawPar := map[bool]bool{}
		for _, s := range sheets {
			n := 0
			for i, on := range s.OMR {
				if on && !contains(c.exclude, p.OMR.Positions[i]) {
					n++
				}
			}
			if (n%2 == 1) != c.odd {
				t.Errorf("%s: sheet %d counts %d marks", c.parity, s.Counter, n)
			}
			sawPar[bitsOf(p, s, "PAR") == "1"] = true
		}
		if !sawPar[true] || !sawPar[false] {
			t.Errorf("%s: the parity mark never changes", c.parity)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCommands(t *testing.T) {
	for _, c := range []struct{ commands, want string }{
		// SF1 SF2 DVF per sheet; envelope 1 (2 sheets) takes return and
		// diverts, envelope 2 (1 sheet) takes brochure, envelope 3 nothing
		{"every", "011 011 100 000"},
		{"first", "011 000 100 000"},
		{"last", "000 011 100 000"},
	} {
		p := mustParse(t, omrYAML+"  commands: "+c.commands+"\n")
		e := envs(2, 1, 1)
		e[0].Inserts, e[0].Divert = []string{"return"}, "1"
		e[1].Inserts = []string{"brochure"}
		sheets, err := Sheets(JobInfo{}, e, p)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range sheets {
			got = append(got, bitsOf(p, s, "SF1")+bitsOf(p, s, "SF2")+bitsOf(p, s, "DVF"))
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("commands %s: SF1 SF2 DVF %s, want %s", c.commands, g, c.want)
		}
	}
}

func TestUnknownInsert(t *testing.T) {
	p := mustParse(t, omrYAML)
	e := envs(1)
	e[0].Inserts = []string{"flyer"}
	if _, err := Sheets(JobInfo{}, e, p); !errors.Is(err, ErrSheets) || !strings.Contains(err.Error(), `"flyer"`) {
		t.Errorf("error %v, want ErrSheets naming the insert", err)
	}
}

func TestAutoBatch(t *testing.T) {
	p := mustParse(t, strings.Replace(omrYAML, "DVF,", "AB,", 1)+"  batch: 2\n")
	sheets, err := Sheets(JobInfo{}, envs(1, 2, 1, 1, 1), p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sheets {
		got = append(got, bitsOf(p, s, "AB"))
	}
	if g := strings.Join(got, ""); g != "011011" {
		t.Errorf("AB per sheet %s, want 011011 (envelopes 2, 4 and the last)", g)
	}
}

func TestBadSheets(t *testing.T) {
	p := mustParse(t, omrYAML)
	for _, e := range [][]EnvelopeSheets{
		{{ID: 1}},
		{{ID: 1, Pieces: []PieceSheets{{Seq: 1, Pages: 9, Sheets: 1}}}},
		{{ID: 1, Pieces: []PieceSheets{{Seq: 1, Pages: 0, Sheets: 0}}}},
		{{ID: 1, Pieces: []PieceSheets{{Seq: 1, Pages: 2, Sheets: 3}}}},
	} {
		if _, err := Sheets(JobInfo{}, e, p); !errors.Is(err, ErrSheets) {
			t.Errorf("%+v: error %v, want ErrSheets", e, err)
		}
	}
	if _, err := Sheets(JobInfo{}, envs(1), &Profile{Name: "raw"}); !errors.Is(err, ErrProfile) {
		t.Errorf("unprepared profile: %v", err)
	}
}

func TestDuplexPagesAndPieces(t *testing.T) {
	p := mustParse(t, omrYAML)
	e := []EnvelopeSheets{{ID: 9, Pieces: []PieceSheets{{Seq: 4, Pages: 3, Sheets: 2}, {Seq: 5, Pages: 2, Sheets: 1}}}}
	sheets, err := Sheets(JobInfo{}, e, p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sheets {
		got = append(got, fmt.Sprintf("%d:%d/%d p%d.%d pages%d", s.Envelope, s.SheetInEnvelope, s.SheetsInEnvelope, s.Piece, s.SheetInPiece, s.Pages))
	}
	want := "9:1/3 p4.1 pages2 9:2/3 p4.2 pages1 9:3/3 p5.1 pages2"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("sheets %s, want %s", g, want)
	}
}

func TestBarcodeContent(t *testing.T) {
	for _, c := range []struct {
		symbology, content, check string
		want                      string
	}{
		{"datamatrix", "{job:10}{envelope:10}{sheet:3}{sheets:3}{feeders}{divert:1}{reprint:1}", "",
			"00000047110000000002002003010B0"},
		{"code128", "J{job}-E{envelope:4}-{sheet}/{sheets}-{eoc}-{counter:3}-{piece}-{meta.zip}", "",
			"J4711-E0002-2/3-0-004-2-10001"},
		{"code39", "{envelope:4}{sheet:2}{sheets:2}", "mod43", "000202037"},
		{"i2of5", "{envelope:6}{sheet:2}{sheets:2}", "mod10", "00000202039"},
		{"code128", "{meta.zip:7}|", "", "0010001|"},
		{"code128", "{{{divert:3}}}", "", "{B  }"},
	} {
		src := fmt.Sprintf("name: bc\nstations: 3\nfeeders: {x: 2}\nbarcode: {symbology: %s, content: %q, check: %q, module: 0.4mm, height: 8mm}\n",
			c.symbology, c.content, c.check)
		if c.check == "" {
			src = strings.Replace(src, `check: "", `, "", 1)
		}
		p := mustParse(t, src)
		e := envs(2, 3)
		e[1].Inserts, e[1].Divert = []string{"x"}, "B"
		sheets, err := Sheets(JobInfo{ID: "4711"}, e, p)
		if err != nil {
			t.Fatalf("%s: %v", c.content, err)
		}
		if got := sheets[3].Barcode; got != c.want {
			t.Errorf("%s: %q, want %q", c.content, got, c.want)
		}
	}
}

func TestBarcodeContentErrors(t *testing.T) {
	for _, c := range []struct{ symbology, content, want string }{
		{"code128", "{job:3}", `{job} is "4711", longer than its width 3`},
		{"code128", "{meta.name}", `no metadata field "name"`},
		{"i2of5", "{envelope}", "even number of digits"},
		{"code39", "{meta.zip}{job}x", ""}, // literal x: rejected when parsed
	} {
		src := fmt.Sprintf("name: bc\nbarcode: {symbology: %s, content: %q, module: 0.4mm, height: 8mm}\n", c.symbology, c.content)
		p, err := ParseProfile([]byte(src))
		if c.want == "" {
			if err == nil {
				t.Errorf("%s: parsed", c.content)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		_, err = Sheets(JobInfo{ID: "4711"}, envs(1), p)
		if err == nil && c.symbology == "i2of5" {
			_, err = p.BarcodeRects("1")
		}
		if !errors.Is(err, ErrContent) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want ErrContent with %q", c.content, err, c.want)
		}
	}
}

func TestCheckCharacters(t *testing.T) {
	for _, c := range []struct{ in, kind, want string }{
		{"629104150021", CheckMod10, "6291041500213"}, // an EAN-13
		{"1234567", CheckMod10, "12345670"},
		{"CODE39", CheckMod43, "CODE39W"},
		{"0", CheckMod43, "00"},
		{"ABC", CheckNone, "ABC"},
	} {
		got, err := appendCheck(c.in, c.kind)
		if err != nil || got != c.want {
			t.Errorf("%s %s: %q %v, want %q", c.kind, c.in, got, err, c.want)
		}
	}
	if _, err := appendCheck("12a", CheckMod10); !errors.Is(err, ErrContent) {
		t.Errorf("mod10 of letters: %v", err)
	}
}

func TestIMbOnAddressSheet(t *testing.T) {
	src := `
name: usps
paper: {width: 8.5in, height: 11in}
imb: {barcode_id: "00", service_type: "270", mailer_id: "123456", serial: "{envelope:9}", routing: "{meta.zip}", corner: top-left, x: 1in, y: 2in}
`
	p := mustParse(t, src)
	e := envs(2, 1)
	e[1].Pieces[0].Meta = meta.Of("zip", "12345-6789")
	sheets, err := Sheets(JobInfo{}, e, p)
	if err != nil {
		t.Fatal(err)
	}
	want1, _ := imb.Encode("00270123456000000001", "10000")
	want2, _ := imb.Encode("00270123456000000002", "123456789")
	if sheets[0].IMb != want1 || sheets[1].IMb != "" || sheets[2].IMb != want2 {
		t.Errorf("IMbs %q %q %q, want %q, none, %q", sheets[0].IMb, sheets[1].IMb, sheets[2].IMb, want1, want2)
	}
	e[0].Pieces[0].Meta = meta.Of("zip", "1234")
	if _, err := Sheets(JobInfo{}, e, p); !errors.Is(err, imb.ErrRoutingLength) {
		t.Errorf("bad ZIP: %v", err)
	}
}
