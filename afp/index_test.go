package afp

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// generate writes a mail run and returns it with its ground truth.
func generate(t testing.TB, opt afptest.Options) ([]byte, afptest.GroundTruth) {
	t.Helper()
	var buf bytes.Buffer
	gt, err := afptest.Write(&buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), gt
}

// checkTruth compares an index with a generated run's ground truth.
func checkTruth(t *testing.T, idx *Index, gt afptest.GroundTruth) {
	t.Helper()
	if idx.Size != gt.Size || idx.Pages != gt.Pages || idx.Sheets != gt.Sheets || len(idx.Pieces) != len(gt.Pieces) {
		t.Fatalf("index: %d bytes, %d pages, %d sheets, %d pieces; truth %d, %d, %d, %d",
			idx.Size, idx.Pages, idx.Sheets, len(idx.Pieces), gt.Size, gt.Pages, gt.Sheets, len(gt.Pieces))
	}
	if idx.Header.Length != gt.HeaderLen || idx.Trailer.Length != gt.TrailerLen {
		t.Errorf("header %d, trailer %d bytes; truth %d, %d", idx.Header.Length, idx.Trailer.Length, gt.HeaderLen, gt.TrailerLen)
	}
	if idx.FormMap == nil || idx.FormMap.Name != gt.FormMap || idx.FormMapSource != "inline" {
		t.Fatalf("form map %+v (%s), want %s inline", idx.FormMap, idx.FormMapSource, gt.FormMap)
	}
	for i, m := range gt.Maps {
		if got := idx.FormMap.Maps[i]; got.Name != m.Name || got.PagesPerSheet() != m.PagesPerSheet {
			t.Errorf("map %d: %s with %d pages a sheet, want %s with %d", i, got.Name, got.PagesPerSheet(), m.Name, m.PagesPerSheet)
		}
	}
	for i, p := range idx.Pieces {
		if got, want := pieceTruth(p), gt.Pieces[i]; !reflect.DeepEqual(got, want) {
			t.Errorf("piece %d:\n got %+v\nwant %+v", i+1, got, want)
		}
	}
}

// pieceTruth restates a piece in the generator's terms.
func pieceTruth(p Piece) afptest.Piece {
	out := afptest.Piece{Seq: int(p.Seq), Name: p.Name, FirstPage: int(p.FirstPage), Pages: int(p.Pages), Sheets: int(p.Sheets),
		Maps: p.MediumMaps(), StartMap: p.StartMap(), Offset: p.Offset, Length: p.Length}
	for a := range p.Attrs() {
		out.Attrs = append(out.Attrs, afptest.Attr{Name: a.Name, Value: a.Value})
	}
	if out.Maps == nil {
		out.Maps = []string{}
	}
	return out
}

func TestIndexGroundTruth(t *testing.T) {
	for _, opt := range []afptest.Options{
		{Pages: 400, Seed: 1},
		{Pages: 400, Seed: 2, RecordPrefix: true},
		{Pages: 57, Seed: 3, TextBytes: 40000},
		{Pages: 1, Seed: 4},
		{Pages: 200, Seed: 5, FieldEnd: []byte("\r\n")},
		{Pages: 100, Seed: 6, RecordPrefix: true, FieldEnd: []byte{0}},
	} {
		t.Run(fmt.Sprintf("seed%d-prefix%v-end%X", opt.Seed, opt.RecordPrefix, opt.FieldEnd), func(t *testing.T) {
			in, gt := generate(t, opt)
			for i := range gt.Pieces {
				if gt.Pieces[i].Maps == nil {
					gt.Pieces[i].Maps = []string{}
				}
			}
			checkTruth(t, mustIndex(t, in, IndexOptions{}), gt)
		})
	}
}

func TestIndexBadInput(t *testing.T) {
	run, _ := generate(t, afptest.Options{Pages: 10})
	page := pageFields(t, 1)
	formMap := readSample(t, "fop_F1SAMPLE.afp")
	segTLE := tleData(t, "ACCOUNT", "12")
	tests := []struct {
		name     string
		in       []byte
		opt      IndexOptions
		sentinel error
		offset   int64
		field    string
	}{
		{"empty input", nil, IndexOptions{}, ErrTruncated, 0, ""},
		{"truncated file", run[:len(run)/2], IndexOptions{}, ErrTruncated, -1, ""},
		{"length past the end", cat(bdt, []byte{0x5A, 0x7F, 0xFF, 0xD3, 0xA8, 0xAD, 0, 0, 0, 1, 2}), IndexOptions{}, ErrTruncated, 17, "BNG"},
		{"length below 8", cat(bdt, []byte{0x5A, 0, 7, 0xD3, 0xA8, 0xAF, 0, 0, 0}), IndexOptions{}, ErrLength, 17, "BPG"},
		{"ENG without BNG", docFields(page, sf(IDENG, 0, 0)), IndexOptions{}, ErrStructure, 17 + int64(len(page)), "ENG"},
		{"ENG closing a page", cat(bdt, sf(IDBPG, 0, 0), sf(IDENG, 0, 0)), IndexOptions{}, ErrStructure, 26, "ENG"},
		{"nested BNG", docFields(groupFields(t, "G1", groupFields(t, "G2", page))), IndexOptions{}, ErrStructure, 34, "BNG"},
		{"BNG outside a document", groupFields(t, "G1", page), IndexOptions{}, ErrStructure, 0, "BNG"},
		{"page outside a document", page, IndexOptions{}, ErrStructure, 0, "BPG"},
		{"missing EDT", cat(bdt, groupFields(t, "G1", page)), IndexOptions{}, ErrTruncated, 51 + int64(len(page)), "BDT"},
		{"TLE without a value", docFields(groupFields(t, "G1", sf(IDTLE, 0, 0, tleData(t, "ACCOUNT", "1")[:11]), page)), IndexOptions{}, ErrField, 34, "TLE"},
		{"TLE without a name", docFields(groupFields(t, "G1", sf(IDTLE, 0, 0, tleData(t, "ACCOUNT", "1")[11:]), page)), IndexOptions{}, ErrField, 34, "TLE"},
		{"TLE with a triplet past its end", docFields(groupFields(t, "G1", sf(IDTLE, 0, 0, []byte{9, 2, 0x0B}), page)), IndexOptions{}, ErrField, 34, "TLE"},
		{"garbage after EDT", cat(docFields(page), []byte("garbage")), IndexOptions{}, ErrSyntax, 34 + int64(len(page)), "EDT"},
		{"field after EDT", cat(docFields(page), page), IndexOptions{}, ErrStructure, 34 + int64(len(page)), "BPG"},
		{"nested BDT", cat(bdt, bdt), IndexOptions{}, ErrStructure, 17, "BDT"},
		{"unknown medium map", cat(formMap, docFields(immField(t, "NOSUCH"), page)), IndexOptions{}, ErrMediumMap, 851, "IMM"},
		{"IMM inside a page", docFields(pageFields(t, 1, immField(t, "DUPNOR"))), IndexOptions{}, ErrStructure, 52, "IMM"},
		{"short IMM", docFields(sf(IDIMM, 0, 0, []byte{1, 2}), page), IndexOptions{}, ErrField, 17, "IMM"},
		{"segment not continued", docFields(groupFields(t, "G1", sf(IDTLE, FlagSeg, 0, segTLE[:5]), nopField(t, "x"))), IndexOptions{}, ErrStructure, 34 + 9 + 5, "NOP"},
		{"last segment missing", cat(bdt, sf(IDTLE, FlagSeg, 0, segTLE[:5])), IndexOptions{}, ErrTruncated, 31, "TLE"},
		{"boundary inside a page group", docFields(groupFields(t, "G1", page, page)), IndexOptions{Boundary: FixedPages(1)}, ErrStructure, 34 + 2*int64(len(page)) - 17, "EPG"},
		{"IMM boundary after pages of a group", docFields(groupFields(t, "G1", page, immField(t, "X"), page)), IndexOptions{Boundary: EveryIMM()}, ErrStructure, 34 + int64(len(page)), "IMM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx, err := BuildIndex(bytes.NewReader(tt.in), tt.opt)
			if err == nil {
				t.Fatalf("no error; index:\n%s", dumpIndex(idx))
			}
			if tt.offset < 0 { // somewhere: check the kind and that an offset is given
				var fe *FormatError
				if !errors.Is(err, tt.sentinel) || !errors.As(err, &fe) || !strings.Contains(err.Error(), "offset") {
					t.Fatalf("got %v, want %v with an offset", err, tt.sentinel)
				}
				return
			}
			checkFormatError(t, err, tt.sentinel, tt.offset, tt.field)
		})
	}
}

func TestIndexOptionErrors(t *testing.T) {
	in := docFields(pageFields(t, 1))
	for _, opt := range []IndexOptions{{CodePage: 4242}, {Boundary: TLEKey("")}, {Boundary: FixedPages(0)}} {
		if _, err := BuildIndex(bytes.NewReader(in), opt); err == nil {
			t.Errorf("options %+v: no error", opt)
		}
	}
}

// TestSheetsF1SAMPLE counts sheets with the medium maps of Apache FOP's
// F1SAMPLE form definition, given externally and inline.
func TestSheetsF1SAMPLE(t *testing.T) {
	sample := readSample(t, "fop_F1SAMPLE.afp")
	fm, err := ParseFormMap(bytes.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var maps []string
	for _, m := range fm.Maps {
		maps = append(maps, fmt.Sprintf("%s copies=%d bin=%d", m, m.Copies, m.Bin))
	}
	wantMaps := []string{"NOPAR simplex 1-up copies=1 bin=1", "BIN2 simplex 1-up copies=1 bin=2", "BIN3 simplex 1-up copies=1 bin=3",
		"DUPNOR duplex 1-up copies=1 bin=1", "NUP2 simplex 2-up copies=1 bin=1"}
	if !reflect.DeepEqual(maps, wantMaps) {
		t.Fatalf("maps %q, want %q", maps, wantMaps)
	}
	pages := func(n int) []byte {
		var b []byte
		for i := 0; i < n; i++ {
			b = append(b, pageFields(t, i)...)
		}
		return b
	}
	doc := docFields(
		groupFields(t, "G1", immField(t, "DUPNOR"), pages(5)),
		groupFields(t, "G2", immField(t, "NUP2"), pages(5)),
		groupFields(t, "G3", immField(t, "NOPAR"), pages(5)),
		groupFields(t, "G4", pages(3)),
		groupFields(t, "G5", immField(t, "DUPNOR"), pages(2), immField(t, "DUPNOR"), pages(1)),
		groupFields(t, "G6", immField(t, "DUPNOR"), pages(1), immField(t, "NUP2"), pages(3)),
		immField(t, "DUPNOR"),
		groupFields(t, "G7", pages(3)),
		groupFields(t, "G8", pages(3)),
	)
	type result struct {
		sheets   int
		start    string
		maps     string
		attrsNil bool
	}
	want := []result{{3, "", "[DUPNOR]", true}, {3, "", "[NUP2]", true}, {5, "", "[NOPAR]", true}, {3, "NOPAR", "[]", true},
		{2, "", "[DUPNOR]", true}, {3, "", "[DUPNOR NUP2]", true}, {2, "", "[DUPNOR]", true}, {2, "DUPNOR", "[]", true}}
	for _, tc := range []struct {
		name   string
		in     []byte
		opt    IndexOptions
		source string
	}{
		{"external", doc, IndexOptions{FormMap: fm}, "external"},
		{"inline", cat(sample, doc), IndexOptions{}, "inline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx := mustIndex(t, tc.in, tc.opt)
			if idx.FormMapSource != tc.source || idx.Sheets != 23 || idx.Pages != 31 {
				t.Errorf("source %q, %d sheets, %d pages; want %q, 23, 31", idx.FormMapSource, idx.Sheets, idx.Pages, tc.source)
			}
			for i, p := range idx.Pieces {
				got := result{int(p.Sheets), p.StartMap(), fmt.Sprint(p.MediumMaps()), p.NumAttrs() == 0}
				if i >= len(want) || got != want[i] {
					t.Errorf("piece %d %s: %+v, want %+v", p.Seq, p.Name, got, want[min(i, len(want)-1)])
				}
			}
		})
	}
	t.Run("no form map: simplex", func(t *testing.T) {
		idx := mustIndex(t, doc, IndexOptions{})
		if idx.Sheets != idx.Pages || idx.FormMap != nil || idx.Pieces[3].StartMap() != "NOPAR" {
			t.Errorf("%d sheets for %d pages, form map %v, piece 4 starts with %q", idx.Sheets, idx.Pages, idx.FormMap, idx.Pieces[3].StartMap())
		}
	})
}

// boundaryRun is a document without page groups, for the other boundaries.
func boundaryRun(t *testing.T) []byte {
	return docFields(
		immField(t, "DUPNOR"), tleField(t, "ACCOUNT", "A1"), nopField(t, "PIECE 1"),
		pageFields(t, 1), pageFields(t, 2), pageFields(t, 3),
		immField(t, "NUP2"), tleField(t, "ACCOUNT", "A2"), nopField(t, "PIECE=2"),
		pageFields(t, 4),
		pageFields(t, 5, tleField(t, "ACCOUNT", "A3"), nopField(t, "PIECE: 3")),
		pageFields(t, 6),
	)
}

func TestBoundaries(t *testing.T) {
	fm, err := ParseFormMap(bytes.NewReader(readSample(t, "fop_F1SAMPLE.afp")))
	if err != nil {
		t.Fatal(err)
	}
	in := boundaryRun(t)
	tests := []struct {
		boundary Boundary
		want     []string
	}{
		{PageGroups(), []string{`"" 1+6 sheets=4 maps=[DUPNOR NUP2] start="" attrs=[]`}},
		{EveryIMM(), []string{
			`"" 1+3 sheets=2 maps=[DUPNOR] start="" attrs=[{ACCOUNT A1}]`,
			`"" 4+3 sheets=2 maps=[NUP2] start="" attrs=[{ACCOUNT A2}]`}},
		{TLEKey("ACCOUNT"), []string{
			`"A1" 1+3 sheets=2 maps=[DUPNOR] start="" attrs=[{ACCOUNT A1}]`,
			`"A2" 4+1 sheets=1 maps=[NUP2] start="" attrs=[{ACCOUNT A2}]`,
			`"A3" 5+2 sheets=1 maps=[] start="NUP2" attrs=[{ACCOUNT A3}]`}},
		{NOPKey("PIECE"), []string{
			`"1" 1+3 sheets=2 maps=[DUPNOR] start="" attrs=[{ACCOUNT A1} {PIECE 1}]`,
			`"2" 4+1 sheets=1 maps=[NUP2] start="" attrs=[{ACCOUNT A2} {PIECE 2}]`,
			`"3" 5+2 sheets=1 maps=[] start="NUP2" attrs=[{ACCOUNT A3} {PIECE 3}]`}},
		{FixedPages(2), []string{
			`"" 1+2 sheets=1 maps=[DUPNOR] start="" attrs=[{ACCOUNT A1}]`,
			`"" 3+2 sheets=2 maps=[NUP2] start="DUPNOR" attrs=[{ACCOUNT A2}]`,
			`"" 5+2 sheets=1 maps=[] start="NUP2" attrs=[{ACCOUNT A3}]`}},
	}
	for _, tt := range tests {
		t.Run(tt.boundary.String(), func(t *testing.T) {
			idx := mustIndex(t, in, IndexOptions{Boundary: tt.boundary, FormMap: fm})
			var got []string
			for _, p := range idx.Pieces {
				got = append(got, fmt.Sprintf("%q %d+%d sheets=%d maps=%v start=%q attrs=%v", p.Name, p.FirstPage, p.Pages, p.Sheets, p.MediumMaps(), p.StartMap(), slices.Collect(p.Attrs())))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("pieces\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestBoundariesOnGroups: boundaries other than page groups accept groups
// that fall whole into pieces, like Apache FOP's IMM inside each group.
func TestBoundariesOnGroups(t *testing.T) {
	in, gt := generate(t, afptest.Options{Pages: 200, Seed: 7})
	for _, b := range []Boundary{EveryIMM(), TLEKey("ACCOUNT")} {
		idx, err := BuildIndex(bytes.NewReader(in), IndexOptions{Boundary: b})
		var fe *FormatError
		if err != nil && errors.As(err, &fe) && strings.Contains(fe.Detail, "inside the page group") {
			continue // a piece switching maps part way: refused, and rightly so
		}
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		checkLayout(t, idx)
		if idx.Pages != gt.Pages {
			t.Errorf("%s: %d pages, want %d", b, idx.Pages, gt.Pages)
		}
	}
	idx := mustIndex(t, in, IndexOptions{Boundary: TLEKey("ACCOUNT")})
	if len(idx.Pieces) != len(gt.Pieces) {
		t.Fatalf("TLE boundary: %d pieces, want %d", len(idx.Pieces), len(gt.Pieces))
	}
	for i, p := range idx.Pieces {
		g := gt.Pieces[i]
		if p.Name != g.Value("ACCOUNT") || int(p.Pages) != g.Pages || int(p.Sheets) != g.Sheets || p.Span != (Span{g.Offset, g.Length}) {
			t.Errorf("piece %d: %q %d pages %d sheets %+v; want %q %d %d %d+%d", i+1, p.Name, p.Pages, p.Sheets, p.Span, g.Value("ACCOUNT"), g.Pages, g.Sheets, g.Offset, g.Length)
		}
	}
}

func TestSegmentedTLE(t *testing.T) {
	d := tleData(t, "POSTCODE", "12345")
	in := docFields(groupFields(t, "G1", sf(IDTLE, FlagSeg, 0, d[:7]), sf(IDTLE, FlagSeg, 0, d[7:15]), sf(IDTLE, 0, 0, d[15:]), pageFields(t, 1)))
	idx := mustIndex(t, in, IndexOptions{})
	if v, ok := idx.Pieces[0].Value("POSTCODE"); !ok || v != "12345" {
		t.Fatalf("attrs %v, want POSTCODE=12345", slices.Collect(idx.Pieces[0].Attrs()))
	}
}

func TestTLECodePages(t *testing.T) {
	v273, _ := EncodeText("Weiß", 273)
	n273, _ := EncodeText("NAME", 273)
	withCP := append(append(append([]byte{byte(4 + len(n273)), tripletFQN, fqnAttributeName, 0}, n273...), byte(4+len(v273)), tripletValue, 0, 0), v273...)
	withCP = append(withCP, 6, tripletCGCS, 0, 0, 0x01, 0x11)
	v037, _ := EncodeText("[x]", 37)
	in := docFields(groupFields(t, "G1",
		sf(IDTLE, 0, 0, withCP),
		sf(IDTLE, 0, 0, append([]byte{6, tripletFQN, fqnAttributeName, 0, 'I', 'D', byte(4 + 5), tripletValue, 0, 0}, "A-123"...)),
		sf(IDTLE, 0, 0, append(tleData(t, "TAG", "")[:7], append([]byte{byte(4 + len(v037)), tripletValue, 0, 0}, v037...)...)),
		pageFields(t, 1)))
	idx := mustIndex(t, in, IndexOptions{CodePage: 37})
	want := []Attr{{"NAME", "Weiß"}, {"ID", "A-123"}, {"TAG", "[x]"}}
	if got := slices.Collect(idx.Pieces[0].Attrs()); !reflect.DeepEqual(got, want) {
		t.Fatalf("attrs %q, want %q", got, want)
	}
	if m := idx.Pieces[0].Meta(); m["NAME"] != "Weiß" || len(m) != 3 {
		t.Errorf("Meta() = %v", m)
	}
}

func TestParseBoundary(t *testing.T) {
	for _, s := range []string{"groups", "imm", "tle:ACCOUNT", "nop:PIECE", "pages:3"} {
		b, err := ParseBoundary(s)
		if err != nil || b.String() != s {
			t.Errorf("ParseBoundary(%q) = %v, %v", s, b, err)
		}
	}
	for _, s := range []string{"tle:", "pages:0", "pages:x", "every"} {
		if _, err := ParseBoundary(s); err == nil {
			t.Errorf("ParseBoundary(%q): no error", s)
		}
	}
}

func TestDuplexText(t *testing.T) {
	for _, d := range []Duplex{Simplex, DuplexNormal, DuplexTumble} {
		b, err := d.MarshalText()
		var back Duplex
		if err != nil || back.UnmarshalText(b) != nil || back != d {
			t.Errorf("%v: %q, %v, back %v", d, b, err, back)
		}
	}
	var d Duplex
	if d.UnmarshalText([]byte("both")) == nil {
		t.Error("unknown mode accepted")
	}
}

// TestIndexPageLimit checks that an index past the pages a piece counts in
// 32 bits fails with ErrStructure, in one pass and split alike.
func TestIndexPageLimit(t *testing.T) {
	defer func(n int) { maxPages = n }(maxPages)
	maxPages = 5
	pages := func(n int) []byte {
		var b []byte
		for i := range n {
			b = append(b, pageFields(t, i)...)
		}
		return b
	}
	in := docFields(groupFields(t, "G1", pages(3)), groupFields(t, "G2", pages(3)))
	_, err := BuildIndex(bytes.NewReader(in), IndexOptions{})
	if !errors.Is(err, ErrStructure) || !strings.Contains(err.Error(), "more than 5 pages") {
		t.Fatalf("6 pages past a limit of 5: %v, want ErrStructure", err)
	}
	checkSplit(t, "page limit", in, IndexOptions{}, splitPlan{cuts: fieldEnds(in)})
	maxPages = 6
	if idx := mustIndex(t, in, IndexOptions{}); idx.Pages != 6 || len(idx.Pieces) != 2 {
		t.Errorf("6 pages at a limit of 6: %d pages, %d pieces", idx.Pages, len(idx.Pieces))
	}
}
