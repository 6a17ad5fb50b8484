package imb

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The examples of USPS-B-3200 Appendix C, with their intermediate values.
var specExamples = []struct {
	routing string
	binary  string // 13 bytes, hex
	fcs     uint16
	cw      [10]int // codewords before the adjustments of step 5
	bars    string
}{
	{"", "00000000001122103B5C2004B1", 0x051,
		[10]int{0, 0, 0, 0, 559, 202, 508, 451, 124, 17},
		"ATTFATTDTTADTAATTDTDTATTDAFDDFADFDFTFFFFFTATFAAAATDFFTDAADFTFDTDT"},
	{"01234", "0000000D138A87BAB5CF3804B1", 0x065,
		[10]int{0, 0, 15, 14, 290, 567, 385, 48, 388, 333},
		"DTTAFADDTTFTDTFTFDTDDADADAFADFATDDFTAAAFDTTADFAAATDFDTDFADDDTDFFT"},
	{"012345678", "000202BDC097711204D21804B1", 0x606,
		[10]int{0, 110, 1113, 1363, 198, 413, 470, 468, 1333, 513},
		"ADFTTAFDTTTTFATTADTAAATFTFTATDAAAFDDADATATDTDTTDFDTDATADADTDFFTFA"},
	{"01234567891", "016907B2A24ABC16A2E5C004B1", 0x751,
		[10]int{14, 787, 607, 1022, 861, 19, 816, 1294, 35, 301},
		"AADTFFDFTDADTAADAATFDTDDAAADDTDTTDAFADADDDTFFFDDTTTADFAAADFTDAADA"},
}

const specTracking = "01234567094987654321"

func TestSpecExamples(t *testing.T) {
	for _, ex := range specExamples {
		t.Run("routing="+ex.routing, func(t *testing.T) {
			v := binaryValue(specTracking, ex.routing)
			b := v.bytes()
			if got := strings.ToUpper(hex.EncodeToString(b[:])); got != ex.binary {
				t.Errorf("binary = %s, want %s", got, ex.binary)
			}
			fcs := crc11(b)
			if fcs != ex.fcs {
				t.Errorf("fcs = %#x, want %#x", fcs, ex.fcs)
			}
			cw := codewords(v, fcs)
			want := ex.cw
			want[9] *= 2
			if fcs&(1<<10) != 0 {
				want[0] += 659
			}
			if cw != want {
				t.Errorf("codewords = %v, want %v", cw, want)
			}
			got, err := Encode(specTracking, ex.routing)
			if err != nil {
				t.Fatal(err)
			}
			if got != ex.bars {
				t.Errorf("bars =\n%s\nwant\n%s", got, ex.bars)
			}
		})
	}
}

// TestCharacters checks the characters of the last example before and after
// the FCS inversion.
func TestCharacters(t *testing.T) {
	cw := [10]int{673, 787, 607, 1022, 861, 19, 816, 1294, 35, 602}
	plain := characters(cw, 0)
	if got := fmtChars(plain); got != "1234 085C 08E4 0B06 1922 1740 0839 1200 0DC0 04D4" {
		t.Errorf("characters before inversion = %s", got)
	}
	inverted := characters(cw, 0x751)
	if got := fmtChars(inverted); got != "0DCB 085C 08E4 0B06 06DD 1740 17C6 1200 123F 1B2B" {
		t.Errorf("characters after inversion = %s", got)
	}
}

func fmtChars(ch [10]uint16) string {
	parts := make([]string, len(ch))
	for i, c := range ch {
		parts[i] = fmt.Sprintf("%04X", c)
	}
	return strings.Join(parts, " ")
}

func TestTables(t *testing.T) {
	t5, t2 := tables()
	checks := []struct {
		name      string
		got, want uint16
	}{
		{"T5[0]", t5[0], 31},
		{"T5[1]", t5[1], 7936},
		{"T5[1286]", t5[1286], 496},
		{"T2[0]", t2[0], 3},
		{"T2[77]", t2[77], 160},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	seen := map[uint16]bool{}
	for _, c := range append(t5[:], t2[:]...) {
		if seen[c] {
			t.Fatalf("character %#x appears twice", c)
		}
		seen[c] = true
	}
}

// TestBarMap checks that the bar map uses each (character, bit) pair once.
func TestBarMap(t *testing.T) {
	var used [10][13]int
	for k := range Bars {
		used[barDC[k]][barDB[k]]++
		used[barAC[k]][barAB[k]]++
	}
	for c := range used {
		for b, n := range used[c] {
			if n != 1 {
				t.Errorf("character %d bit %d used %d times", c, b, n)
			}
		}
	}
}

// TestReferenceRows checks rows of the "Intelligent Mail barcode Encoder Test
// Case Reference Set" (USPS, 2009; zint backend/tests/data/imail/usps), one
// per routing code length. The whole set (8,128 valid rows) was checked when
// the encoder was written.
func TestReferenceRows(t *testing.T) {
	rows := []struct{ tracking, routing, bars string }{
		{"53379777234994544928", "51135759461", "DAFDTDAFFDFTDADTDDFTTFDTATATFFFDFTTFFFTFDDTDAAFATDFTFDFDTTTDTTFDA"},
		{"82205455868913559972", "54765515722", "TTTADTFFADAFDTTFDTAADATFFFADFFTDDFFFATDADAATAAADDATFTAADFADTADADD"},
		{"23248930749302847390", "010193022", "DTFDFTTTFAATTDDAFDFTDFAAFFTTFFADFFADDTFFDAFADFDAFAFFFTDAAAADFFFTF"},
		{"00763810221556004227", "808378120", "AFDTATTFTTFAFAFFADAAAAFDAAADFTTFFTATTTFFTDATTDFAAAADDTAATDTADFFAT"},
		{"14341972350680543114", "90775", "FADFADDTDTADFAFDAFAAAAFDDAFAATFDTTATTDAAFADDTDATATATFTATTTDAATFAT"},
		{"10556924967913040800", "554519513", "DTADDTATFTFTDTFTTATADFTFDDDATDDADAFDFTFDFDDTADAFATTATTDFDDDFTDDTF"},
	}
	for _, r := range rows {
		got, err := Encode(r.tracking, r.routing)
		if err != nil {
			t.Fatalf("%s %s: %v", r.tracking, r.routing, err)
		}
		if got != r.bars {
			t.Errorf("%s %s: bars =\n%s\nwant\n%s", r.tracking, r.routing, got, r.bars)
		}
	}
}

func TestRejects(t *testing.T) {
	tests := []struct {
		tracking, routing string
		want              error
	}{
		{"0123456709498765432", "", ErrTrackingLength},
		{"012345670949876543210", "", ErrTrackingLength},
		{"", "", ErrTrackingLength},
		{"0123456709498765432x", "", ErrNotDigits},
		{"01234 67094987654321", "", ErrNotDigits},
		{"05234567094987654321", "", ErrBarcodeID},
		{"09234567094987654321", "", ErrBarcodeID},
		{specTracking, "0123", ErrRoutingLength},
		{specTracking, "0123456789", ErrRoutingLength},
		{specTracking, "012345678901", ErrRoutingLength},
		{specTracking, "0123a", ErrNotDigits},
		{specTracking, "01234-678", ErrNotDigits},
	}
	for _, tt := range tests {
		_, err := Encode(tt.tracking, tt.routing)
		if !errors.Is(err, tt.want) {
			t.Errorf("Encode(%q, %q) = %v, want %v", tt.tracking, tt.routing, err, tt.want)
		}
	}
}

func TestNewFields(t *testing.T) {
	tests := []struct {
		tracking          string
		mid, serial, stid string
	}{
		{"00270123456000000001", "123456", "000000001", "270"},
		{"00270912345678000001", "912345678", "000001", "270"},
	}
	for _, tt := range tests {
		c, err := New(tt.tracking, "12345")
		if err != nil {
			t.Fatal(err)
		}
		if c.MailerID != tt.mid || c.Serial != tt.serial || c.ServiceType != tt.stid || c.BarcodeID != "00" {
			t.Errorf("New(%s) = %+v", tt.tracking, c)
		}
		if len(c.Bars) != Bars || strings.Trim(c.Bars, "FADT") != "" {
			t.Errorf("bars %q", c.Bars)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	for b.Loop() {
		if _, err := Encode(specTracking, "01234567891"); err != nil {
			b.Fatal(err)
		}
	}
}
