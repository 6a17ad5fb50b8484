package postage_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/postage/postagetest"
)

// TestBadData: bad data never drops a piece; it goes to the fallback, is
// listed with its reason, and counted.
func TestBadData(t *testing.T) {
	pieces := []postage.Piece{
		{Seq: 1, Pages: 1, Meta: meta.FromMap(map[string]string{"zip": "04109"})},
		{Seq: 2, Pages: 1, Meta: meta.FromMap(map[string]string{})},
		{Seq: 3, Pages: 1, Meta: meta.FromMap(map[string]string{"zip": "4109"})},
		{Seq: 4, Pages: 1, Meta: meta.FromMap(map[string]string{"zip": "04109", "country": "Atlantis"})},
		{Seq: 5, Pages: 200, Meta: meta.FromMap(map[string]string{"zip": "04109"})},  // no envelope holds 200 sheets
		{Seq: 6, Pages: 150, Meta: meta.FromMap(map[string]string{"zip": "04109"})},  // 761.5 g: Maxibrief
		{Seq: 7, Pages: 1, Meta: meta.FromMap(map[string]string{"zip": " 041 09 "})}, // spaces are cleaned
		{Seq: 8, Pages: 1, Meta: meta.FromMap(map[string]string{"zip": "04109", "country": "de"})},
	}
	codes := map[int]string{2: postage.ExcNoPostalCode, 3: postage.ExcBadPostalCode, 4: postage.ExcCountry, 5: postage.ExcNoEnvelope}
	for _, fallback := range []string{postage.FallbackSinglePiece, postage.FallbackHold} {
		cfg := dpPresort()
		cfg.Fields.Country = "country"
		cfg.Fallback = fallback
		p := plan(t, pieces, cfg)
		var got []int
		for _, x := range p.Exceptions {
			if codes[x.Seq] != x.Code || x.Action != fallback || x.Reason == "" {
				t.Errorf("%s: exception %+v", fallback, x)
			}
			got = append(got, x.Seq)
		}
		if !slices.Equal(got, []int{2, 3, 4, 5}) {
			t.Errorf("%s: exceptions for pieces %v, want 2 3 4 5", fallback, got)
		}
		if !reflect.DeepEqual(p.Report.Exceptions, p.Exceptions) || p.Report.ExceptionCounts[postage.ExcCountry] != 1 {
			t.Errorf("%s: report exceptions %v counts %v", fallback, p.Report.Exceptions, p.Report.ExceptionCounts)
		}
		printed := append(slices.Clone(p.Order), p.Held...)
		slices.Sort(printed)
		if !slices.Equal(printed, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
			t.Errorf("%s: printed and held %v, want every piece once", fallback, printed)
		}
		if fallback == postage.FallbackHold && !slices.Equal(p.Held, []int{2, 3, 4, 5}) {
			t.Errorf("held %v", p.Held)
		}
		if fallback == postage.FallbackSinglePiece {
			last := p.Envelopes[len(p.Envelopes)-4:]
			for i, e := range last {
				if e.Pieces[0] != i+2 || e.Exception == "" || e.Level != postage.LevelSingle {
					t.Errorf("exception envelopes not last in print order: %+v", e)
				}
			}
			if last[3].Product != "" || last[3].Price != 0 || p.Report.After.Uncosted != 1 {
				t.Errorf("200-sheet piece %+v, uncosted %d", last[3], p.Report.After.Uncosted)
			}
		}
	}
}

// TestTooHeavyHousehold: a household too heavy for any product is split
// into envelopes of their own rather than becoming an exception.
func TestTooHeavyHousehold(t *testing.T) {
	cfg := dpConfig()
	cfg.Envelopes = []postage.EnvelopeType{{Name: "C4", MaxSheets: 400, WeightG: 13, Format: "gross"}}
	cfg.Household = postage.Household{Enabled: true, Key: []string{"k"}}
	pieces := []postage.Piece{
		{Seq: 1, Pages: 150, Meta: meta.FromMap(map[string]string{"k": "a"})},
		{Seq: 2, Pages: 150, Meta: meta.FromMap(map[string]string{"k": "a"})},
	}
	p := plan(t, pieces, cfg)
	if len(p.Envelopes) != 2 || len(p.Exceptions) != 0 || p.Envelopes[0].Product != "Maxibrief" {
		t.Errorf("envelopes %+v exceptions %+v", p.Envelopes, p.Exceptions)
	}
}

func TestHouseholdNormalised(t *testing.T) {
	cfg := dpConfig()
	cfg.Household = postage.Household{Enabled: true, Normalise: true, MaxSheets: 4}
	cfg.Fields = postage.Fields{Name: "name", Address: "street", PostalCode: "zip"}
	m := func(name, street, zip string) map[string]string {
		return map[string]string{"name": name, "street": street, "zip": zip}
	}
	pieces := []postage.Piece{
		{Seq: 1, Pages: 2, Meta: meta.FromMap(m("Jörg Müller", "Hauptstraße 5", "04109"))},
		{Seq: 2, Pages: 1, Meta: meta.FromMap(m("Anna Berg", "Gartenweg 1", "04109"))},
		{Seq: 3, Pages: 1, Meta: meta.FromMap(m("JOERG MUELLER", "Hauptstr. 5", "04109"))},
		{Seq: 4, Pages: 2, Meta: meta.FromMap(m("joerg  mueller", "Haupt-Str.5", "04109"))},
		{Seq: 5, Pages: 1, Meta: meta.FromMap(m("Jörg Müller", "Hauptstraße 5", "04110"))}, // another town
		{Seq: 6, Pages: 1, Meta: meta.FromMap(m("", "", ""))},                              // no key
		{Seq: 7, Pages: 1, Meta: meta.FromMap(m("", "", ""))},
	}
	p := plan(t, pieces, cfg)
	var got [][]int
	for _, e := range p.Envelopes {
		got = append(got, e.Pieces)
	}
	// 1+3 fill 3 sheets; 4 would make 5 > 4, so it overflows into an
	// envelope of its own, printed next to its household's first.
	want := [][]int{{1, 3}, {4}, {2}, {5}, {6}, {7}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("envelopes %v, want %v", got, want)
	}
	if h := p.Report.Household; h.Households != 1 || h.Pieces != 2 || h.Envelopes != 1 || h.Saved != 1 {
		t.Errorf("household report %+v", h)
	}
	cfg.Household.Normalise = false
	p = plan(t, pieces, cfg)
	if len(p.Envelopes) != 7 {
		t.Errorf("without normalising: %d envelopes, want 7", len(p.Envelopes))
	}
}

func TestHouseholdOffByDefault(t *testing.T) {
	cfg := dpConfig()
	cfg.Fields.CustomerID = "c"
	pieces := []postage.Piece{
		{Seq: 1, Pages: 1, Meta: meta.FromMap(map[string]string{"c": "1"})},
		{Seq: 2, Pages: 1, Meta: meta.FromMap(map[string]string{"c": "1"})},
	}
	if p := plan(t, pieces, cfg); len(p.Envelopes) != 2 || p.Report.Household.Enabled {
		t.Errorf("%d envelopes, household %+v", len(p.Envelopes), p.Report.Household)
	}
}

func TestInsertsAndSplits(t *testing.T) {
	cfg := dpConfig()
	cfg.Inserts = []postage.Insert{
		{Name: "flyer", WeightG: 3},
		{Name: "sepa", WeightG: 5, Field: "type", Value: "sepa"},
	}
	cfg.Splits = []postage.SplitRule{
		{Output: "sepa", Insert: "sepa"},
		{Output: "flats", Envelope: "C4"},
		{Output: "heavy", MinSheets: 5, MaxSheets: 10},
		{Output: "vip", Field: "tier", Value: "gold"},
		{Output: "kompakt", Product: "Kompaktbrief"},
	}
	pieces := []postage.Piece{
		{Seq: 1, Pages: 1},
		{Seq: 2, Pages: 1, Meta: meta.FromMap(map[string]string{"type": "sepa"})},
		{Seq: 3, Pages: 20},
		{Seq: 4, Pages: 6},
		{Seq: 5, Pages: 1, Meta: meta.FromMap(map[string]string{"tier": "gold"})},
		{Seq: 6, Pages: 3},
	}
	p := plan(t, pieces, cfg)
	want := map[string][]int{"default": {1}, "sepa": {2}, "flats": {3}, "heavy": {4}, "vip": {5}, "kompakt": {6}}
	if !reflect.DeepEqual(p.Outputs, want) {
		t.Errorf("outputs %v, want %v", p.Outputs, want)
	}
	e := p.Envelopes[1]
	if !slices.Equal(e.Insert, []string{"flyer", "sepa"}) || e.Weight.String() != "17.99" {
		t.Errorf("envelope 2: inserts %v weight %s, want flyer, sepa and 5+4.99+3+5 g", e.Insert, e.Weight)
	}
	if e := p.Envelopes[5]; e.Product != "Kompaktbrief" || e.Weight.String() != "22.97" {
		t.Errorf("envelope 6: %s %s g; the flyer pushes 3 sheets over 20 g", e.Product, e.Weight)
	}
}

func TestSortKeys(t *testing.T) {
	cfg := dpConfig()
	cfg.SortKeys = []string{"branch", "-amount"}
	m := func(b, a string) map[string]string { return map[string]string{"branch": b, "amount": a} }
	pieces := []postage.Piece{
		{Seq: 1, Pages: 1, Meta: meta.FromMap(m("b", "1"))},
		{Seq: 2, Pages: 1, Meta: meta.FromMap(m("a", "1"))},
		{Seq: 3, Pages: 1, Meta: meta.FromMap(m("b", "9"))},
		{Seq: 4, Pages: 1, Meta: meta.FromMap(m("a", "1"))},
	}
	p := plan(t, pieces, cfg)
	if want := []int{2, 4, 3, 1}; !slices.Equal(p.Order, want) {
		t.Errorf("order %v, want %v", p.Order, want)
	}
	for i, e := range p.Envelopes {
		if e.ID != i+1 || e.Number != i+1 || e.Output != "default" {
			t.Errorf("envelope %+v", e)
		}
	}
}

func TestBadPieces(t *testing.T) {
	tests := [][]postage.Piece{
		{{Seq: 1, Pages: 1}, {Seq: 1, Pages: 2}},
		{{Seq: 1, Pages: -1}},
	}
	for _, ps := range tests {
		if _, err := postage.Make(ps, dpConfig()); !errors.Is(err, postage.ErrPieces) {
			t.Errorf("%v: err %v, want ErrPieces", ps, err)
		}
	}
	p := plan(t, nil, dpConfig())
	if len(p.Envelopes) != 0 || p.Report.After.Postage != 0 {
		t.Errorf("empty run: %+v", p)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*postage.Config)
		want string
	}{
		{"no carrier", func(c *postage.Config) { c.Carrier = "" }, "carrier is required"},
		{"unknown carrier", func(c *postage.Config) { c.Carrier = "pony-express" }, "unknown rate profile"},
		{"no envelopes", func(c *postage.Config) { c.Envelopes = nil }, "at least one envelope"},
		{"bad format", func(c *postage.Config) { c.Envelopes[0].Format = "letter" }, `format "letter"`},
		{"presort without postal code", func(c *postage.Config) { c.Presort.Enabled = true }, "fields.postal_code"},
		{"presort on royal mail", func(c *postage.Config) {
			c.Carrier, c.Presort.Enabled, c.Fields.PostalCode = "royalmail", true, "pc"
			c.Envelopes = []postage.EnvelopeType{{Name: "DL", MaxSheets: 5, Format: "letter"}}
		}, "no presort rules"},
		{"household without key", func(c *postage.Config) { c.Household.Enabled = true }, "household: no key"},
		{"fallback", func(c *postage.Config) { c.Fallback = "shred" }, `fallback "shred"`},
		{"split to nowhere", func(c *postage.Config) { c.Splits = []postage.SplitRule{{Envelope: "C4"}} }, "output is required"},
		{"split on unknown product", func(c *postage.Config) {
			c.Splits = []postage.SplitRule{{Output: "x", Product: "Brieftaube"}}
		}, `product "Brieftaube"`},
		{"rates file missing", func(c *postage.Config) { c.RatesFile = "/nonexistent/rates.yaml" }, "no such file"},
		{"labelling list missing", func(c *postage.Config) {
			c.Carrier, c.Presort = "usps", postage.Presort{Enabled: true, LabellingList: "/nonexistent/l801.csv"}
		}, "labelling list"},
	}
	for _, tt := range tests {
		cfg := dpConfig()
		tt.edit(&cfg)
		_, err := postage.Make(nil, cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestWriteText(t *testing.T) {
	cfg := dpConfig()
	cfg.Duplex = true
	cfg.Fields.PostalCode = "zip"
	pieces := []postage.Piece{
		{Seq: 1, Pages: 6, Sheets: 6, Meta: meta.FromMap(map[string]string{"zip": "04109"})},
		{Seq: 2, Pages: 6, Sheets: 6, Meta: meta.FromMap(map[string]string{"zip": "x\x1b[2J"})},
	}
	p := plan(t, pieces, cfg)
	var b bytes.Buffer
	if err := p.Report.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"carrier deutschepost, rate profile deutschepost (effective 2025-01-01), prices in EUR",
		"deutschepost  Standardbrief  single-piece  2       2          6       0.040      1.90",
		"before  2       2          12      0.070      2.20",
		"after   2       2          6       0.040      1.90",
		"saving 0.30 EUR (13.6 %)",
		"exceptions: 1 (postal-code-malformed 1); 0 pieces held",
		`piece 2: postal-code-malformed, single-piece: postal code "x\x1b[2J" is not valid`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("report passes a control character through")
	}
}

func TestSparseSequenceNumbers(t *testing.T) {
	ok := []postage.Piece{{Seq: 7, Pages: 1}, {Seq: 1 << 40, Pages: 1}, {Seq: -3, Pages: 1}}
	p := plan(t, ok, dpConfig())
	if !slices.Equal(p.Order, []int{7, 1 << 40, -3}) {
		t.Errorf("order %v", p.Order)
	}
	dup := append(ok, postage.Piece{Seq: 1 << 40, Pages: 2})
	if _, err := postage.Make(dup, dpConfig()); !errors.Is(err, postage.ErrPieces) {
		t.Errorf("duplicate far apart: %v", err)
	}
}

// TestPresortSortKeys: sort keys order envelopes with the same postal
// code inside their container.
func TestPresortSortKeys(t *testing.T) {
	cfg := dpPresort()
	cfg.SortKeys = []string{"-name"}
	var pieces []postage.Piece
	for i := range 300 {
		zip := []string{"04109", "04105"}[i%2]
		name := []string{"a", "b", "c"}[i%3]
		pieces = append(pieces, postage.Piece{Seq: i + 1, Pages: 1, Meta: meta.FromMap(map[string]string{"zip": zip, "name": name})})
	}
	p := plan(t, pieces, cfg)
	if len(p.Containers) != 1 || p.Containers[0].Level != "BZE" {
		t.Fatalf("containers %+v", p.Containers)
	}
	byName := func(e postage.Envelope) string { return pieces[e.Pieces[0]-1].Meta.Get("name") }
	for i := 1; i < len(p.Envelopes); i++ {
		a, b := p.Envelopes[i-1], p.Envelopes[i]
		switch {
		case a.PostalCode > b.PostalCode:
			t.Fatalf("envelope %d (%s) before %d (%s)", a.ID, a.PostalCode, b.ID, b.PostalCode)
		case a.PostalCode == b.PostalCode && byName(a) < byName(b):
			t.Fatalf("envelope %d (%s) before %d (%s): want names descending", a.ID, byName(a), b.ID, byName(b))
		case a.PostalCode == b.PostalCode && byName(a) == byName(b) && a.Pieces[0] > b.Pieces[0]:
			t.Fatalf("ties not in input order at envelope %d", b.ID)
		}
	}
	if p.Envelopes[0].PostalCode != "04105" || byName(p.Envelopes[0]) != "c" {
		t.Errorf("first envelope %+v", p.Envelopes[0])
	}
}

func TestPlanJSON(t *testing.T) {
	cfg := dpPresort()
	p := plan(t, run{{"04109", 260}, {"8033", 1}}.pieces(1), cfg)
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"price":0.532`, `"weight_g":9.99`, `"level":"BZE"`, `"saving":`, `"code":"postal-code-malformed"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	var back postage.Plan
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Report, p.Report) || !reflect.DeepEqual(back.Envelopes, p.Envelopes) {
		t.Error("plan does not survive a JSON round trip")
	}
}

// TestConcurrentPlans: one prepared configuration serves plans in
// parallel (run with -race).
func TestConcurrentPlans(t *testing.T) {
	cfg := uspsPresort()
	cfg.Household = postage.Household{Enabled: true, Key: []string{"zip"}, MaxSheets: 3}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	pieces := append(run{{"60601", 300}}, spread(300)...).pieces(1)
	want := plan(t, pieces, cfg)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := postage.Make(pieces, cfg)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("concurrent plan differs: %v", err)
			}
		})
	}
	wg.Wait()
}

// TestMakeEach checks that MakeEach passes the envelopes Make returns, in
// order, and the rest of the plan is the same.
func TestMakeEach(t *testing.T) {
	pieces := postagetest.Pieces(5000, 3, postagetest.Options{Carrier: "deutschepost", MaxPages: 12, HouseholdShare: 0.2, BadShare: 0.01})
	cfg := benchConfig()
	want, err := postage.Make(pieces, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var envs []postage.Envelope
	got, err := postage.MakeEach(pieces, cfg, func(e postage.Envelope) { envs = append(envs, e) })
	if err != nil {
		t.Fatal(err)
	}
	if got.Envelopes != nil || !reflect.DeepEqual(envs, want.Envelopes) || len(envs) < 1000 {
		t.Errorf("MakeEach passed %d envelopes (plan holds %d), Make returned %d, or they differ", len(envs), len(got.Envelopes), len(want.Envelopes))
	}
	got.Envelopes = want.Envelopes
	if !reflect.DeepEqual(got, want) {
		t.Error("MakeEach's plan differs from Make's")
	}
}
