package postage

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/omsd/omsd/meta"
)

func TestShippedProfiles(t *testing.T) {
	if got := Profiles(); !slices.Equal(got, []string{"deutschepost", "royalmail", "usps"}) {
		t.Fatalf("profiles %v", got)
	}
	tests := []struct {
		name, carrier, currency, effective string
		products                           int
	}{
		{"deutschepost", "deutschepost", "EUR", "2025-01-01", 4},
		{"usps", "usps", "USD", "2025-07-13", 2},
		{"royalmail", "royalmail", "GBP", "2025-04-07", 2},
	}
	for _, tt := range tests {
		p, err := LoadProfile(tt.name)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if p.Carrier != tt.carrier || p.Currency != tt.currency || p.Effective != tt.effective || len(p.Products) != tt.products {
			t.Errorf("%s: %s %s %s, %d products", tt.name, p.Carrier, p.Currency, p.Effective, len(p.Products))
		}
	}
}

// TestConfirmedMarkers: the prices confirmed by the cited sources are
// confirmed, the others are marked.
func TestConfirmedMarkers(t *testing.T) {
	confirmed := func(prof, product string) []bool {
		p, err := LoadProfile(prof)
		if err != nil {
			t.Fatal(err)
		}
		pr, ok := p.Product(product)
		if !ok {
			t.Fatalf("%s: no product %s", prof, product)
		}
		var c []bool
		for _, s := range pr.Steps {
			c = append(c, s.IsConfirmed())
		}
		return c
	}
	tests := []struct {
		prof, product string
		want          bool
	}{
		{"deutschepost", "Standardbrief", true},
		{"deutschepost", "Maxibrief", true},
		{"usps", "First-Class Mail Letter", true},
		{"usps", "First-Class Mail Flat", false},
		{"royalmail", "Letter", false},
		{"royalmail", "Large Letter", false},
	}
	for _, tt := range tests {
		for i, c := range confirmed(tt.prof, tt.product) {
			if c != tt.want {
				t.Errorf("%s %s step %d: confirmed %v, want %v", tt.prof, tt.product, i+1, c, tt.want)
			}
		}
	}
	dp, _ := LoadProfile("deutschepost")
	for _, st := range dp.Presort.Streams {
		for _, lv := range st.Levels {
			for _, r := range lv.Rates {
				if got := r.Confirmed == nil; got != (lv.Name == "BZA") {
					t.Errorf("%s %s: confirmed %v", lv.Name, r.Product, got)
				}
			}
		}
	}
}

func TestOunces(t *testing.T) {
	p, err := LoadProfile("usps")
	if err != nil {
		t.Fatal(err)
	}
	letter, _ := p.Product("First-Class Mail Letter")
	want := []Weight{28349, 56699, 85048, 99223}
	for i, s := range letter.Steps {
		if s.max != want[i] {
			t.Errorf("step %d: %d mg, want %d", i+1, s.max, want[i])
		}
	}
}

const minimalProfile = `
name: test
carrier: test
currency: EUR
effective: 2025-01-01
postal_code: {digits: [5]}
formats: [small]
products:
  - name: Letter
    format: small
    steps: [{up_to: 20, price: 0.5}, {up_to: 50, price: 0.8}]
`

func TestParseProfileErrors(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown key", "currency: EUR", "currency: EUR\ncolour: red", "field colour not found"},
		{"bad date", "2025-01-01", "2025-13-01", "effective"},
		{"falling steps", "up_to: 50", "up_to: 10", "limits must rise"},
		{"unknown format", "format: small", "format: huge", `format "huge"`},
		{"weight unit", "currency: EUR", "currency: EUR\nweight_unit: stone", "weight_unit"},
		{"bad price", "price: 0.5", "price: 0.5x", "amount"},
		{"too precise", "price: 0.5", "price: 0.12345", "at most 4 decimals"},
		{"bad pattern", "{digits: [5]}", "{pattern: '('}", "postal_code"},
		{"stream product", "    steps: [{up_to: 20", "    steps: [{up_to: 20", ""},
	}
	for _, tt := range tests {
		_, err := ParseProfile([]byte(strings.Replace(minimalProfile, tt.old, tt.new, 1)))
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want ErrProfile with %q", tt.name, err, tt.want)
		}
	}
}

func TestParsePresortErrors(t *testing.T) {
	presort := `
presort:
  aadc: {"10": "X"}
  streams:
    - name: s
      products: [Letter, Parcel]
      levels:
        - {name: a, group: "prefix:0"}
        - {name: b, group: zip, rates: [{product: Letter, discount_percent: 120}]}
`
	_, err := ParseProfile([]byte(minimalProfile + presort))
	if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), `percentage "120"`) {
		t.Fatalf("err %v, want the bad percentage", err)
	}
	presort = strings.Replace(presort, "discount_percent: 120", "discount_percent: 12", 1)
	_, err = ParseProfile([]byte(minimalProfile + presort))
	for _, want := range []string{`product "Parcel"`, "prefix:0", `group "zip"`, `key "10"`} {
		if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

// TestUserProfile: a user's edited copy, loaded by path, prices the plan.
func TestUserProfile(t *testing.T) {
	b, err := ratesFS.ReadFile("rates/deutschepost.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dp-2027.yaml")
	edited := strings.Replace(string(b), "{up_to: 20, price: 0.95}", "{up_to: 20, price: 0.99}", 1)
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Carrier: "deutschepost", RatesFile: path,
		Envelopes: []EnvelopeType{{Name: "DL", MaxSheets: 5, WeightG: 5, Format: "standard"}}}
	plan, err := Make([]Piece{{Seq: 1, Pages: 1}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Envelopes[0].Price.String(); got != "0.99" {
		t.Errorf("price %s, want the edited 0.99", got)
	}
	if _, err := LoadProfile("nonesuch"); !errors.Is(err, ErrUnknownProfile) {
		t.Errorf("unknown name: %v", err)
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		in, out string
		ok      bool
	}{
		{"0.95", "0.95", true},
		{"1", "1.00", true},
		{"0.398", "0.398", true},
		{"-1.1", "-1.10", true},
		{".5", "0.50", true},
		{"0.2375", "0.2375", true},
		{"0.23750", "0.2375", true},
		{"0.12345", "", false},
		{"", "", false},
		{"1e3", "", false},
		{"1.2.3", "", false},
		{"9999999999999", "", false},
	}
	for _, tt := range tests {
		m, err := ParseMoney(tt.in)
		if (err == nil) != tt.ok || err == nil && m.String() != tt.out {
			t.Errorf("ParseMoney(%q) = %s, %v; want %s", tt.in, m, err, tt.out)
		}
	}
	if got := Money(9500).Percent(2500); got != 2375 {
		t.Errorf("25 %% of 0.95 = %s", got)
	}
	if got := Money(18000).Percent(1300); got != 2340 {
		t.Errorf("13 %% of 1.80 = %s", got)
	}
}

func TestLabellingList(t *testing.T) {
	in := `# L801, excerpt
Column A,Column B
"005, 115, 117-119","MID-ISLAND NY 117"
606,CHICAGO IL 606
`
	m, err := LoadLabellingList(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"005": "MID-ISLAND NY 117", "115": "MID-ISLAND NY 117", "117": "MID-ISLAND NY 117",
		"118": "MID-ISLAND NY 117", "119": "MID-ISLAND NY 117", "606": "CHICAGO IL 606"}
	if len(m) != len(want) {
		t.Errorf("list %v, want %v", m, want)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s: %q, want %q", k, m[k], v)
		}
	}
	for _, bad := range []string{"", "0055,X\n", "119-117,X\n", "606\n", "abc,X\n606,Y\n12x,Z\n"} {
		if _, err := LoadLabellingList(strings.NewReader(bad)); !errors.Is(err, ErrLabellingList) {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

// TestLabellingListInPlan: the user's list overrides the sample.
func TestLabellingListInPlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l801.csv")
	if err := os.WriteFile(path, []byte("300-309,ATLANTA GA 300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Carrier: "usps", Fields: Fields{PostalCode: "zip"},
		Presort:   Presort{Enabled: true, LabellingList: path},
		Envelopes: []EnvelopeType{{Name: "#10", MaxSheets: 5, WeightG: 5, Format: "letter"}}}
	var pieces []Piece
	for i := range 500 {
		pieces = append(pieces, Piece{Seq: i + 1, Pages: 1, Meta: meta.FromMap(map[string]string{"zip": "30" + string(rune('0'+i%10)) + "01"})})
	}
	plan, err := Make(pieces, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Containers) != 1 || plan.Containers[0].Label != "ATLANTA GA 300" || plan.Containers[0].Envelopes != 500 {
		t.Errorf("containers %+v", plan.Containers)
	}
}

func TestNormalise(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Hauptstraße 5", "HAUPTSTR. 5"},
		{"Haupt-Str. 5", "hauptstrasse 5"},
		{"Jörg Müller", "JOERG MUELLER"},
		{"Élodie Bérard", "elodie berard"},
		{"12 Main Street", "12 main st."},
		{"Strassestrasse", "strstr"},
	}
	for _, tt := range tests {
		a, b := appendNormalised(nil, tt.a), appendNormalised(nil, tt.b)
		if string(a) != string(b) {
			t.Errorf("%q -> %q, %q -> %q; want equal", tt.a, a, tt.b, b)
		}
	}
	if a, b := appendNormalised(nil, "Anna Berg"), appendNormalised(nil, "Anna Burg"); string(a) == string(b) {
		t.Errorf("different names normalise alike: %q", a)
	}
}

func TestPostalKeyOrder(t *testing.T) {
	codes := []string{"01067", "010670001", "01068", "10115", "99999", "9999912345"}
	for i := 1; i < len(codes); i++ {
		if postalKey(codes[i-1]) > postalKey(codes[i]) {
			t.Errorf("%s sorts after %s", codes[i-1], codes[i])
		}
	}
	uk := []string{"AB12CD", "AB19ZZ", "B11AA", "SW1A1AA"}
	for i := 1; i < len(uk); i++ {
		if postalKey(uk[i-1]) >= postalKey(uk[i]) {
			t.Errorf("%s sorts after %s", uk[i-1], uk[i])
		}
	}
}

func TestSortKeyed(t *testing.T) {
	var xs []keyed
	for i := range 5000 {
		xs = append(xs, keyed{key: uint64((i*7919)%613) << (i % 3 * 20), val: int32(i)})
	}
	want := slices.Clone(xs)
	slices.SortStableFunc(want, func(a, b keyed) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	sortKeyed(xs, nil)
	if !slices.Equal(xs, want) {
		t.Error("radix sort differs from a stable sort")
	}
}

// TestConfigYAML: the documented postage: section decodes strictly and
// prepares.
func TestConfigYAML(t *testing.T) {
	b, err := os.ReadFile("testdata/postage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	if cfg.Profile.Name != "deutschepost" || cfg.Envelopes[1].MaxSheets != 100 || cfg.Presort.Origin != "04109" ||
		cfg.Household.Key[0] != "customer_id" || cfg.Splits[1].Insert != "sepa-form" {
		t.Errorf("decoded %+v", cfg)
	}
	bad := strings.Replace(string(b), "safety_margin_g", "safety_margin", 1)
	dec = yaml.NewDecoder(strings.NewReader(bad))
	dec.KnownFields(true)
	if err := dec.Decode(&Config{}); err == nil || !strings.Contains(err.Error(), "safety_margin") {
		t.Errorf("unknown key: %v", err)
	}
}

// TestJSONProfile: a profile may be written in JSON.
func TestJSONProfile(t *testing.T) {
	js := `{"name": "j", "carrier": "test", "currency": "EUR", "effective": "2026-01-01",
		"postal_code": {"digits": [4]}, "formats": ["letter"],
		"products": [{"name": "Brief", "format": "letter", "steps": [{"up_to": 20, "price": 0.85, "confirmed": false}]}]}`
	path := filepath.Join(t.TempDir(), "j.json")
	if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	pr, _ := p.Product("Brief")
	if pr.Steps[0].Price.String() != "0.85" || pr.Steps[0].IsConfirmed() || pr.Steps[0].max != 20000 {
		t.Errorf("step %+v", pr.Steps[0])
	}
}
