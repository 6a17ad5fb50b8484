package postage_test

import (
	"testing"

	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/postage"
)

// The worked examples of the mailroom notes (docs/MAILROOM.md, section 7).

// dpConfig is a Deutsche Post configuration with a 5.0 g C6/5 envelope on
// A4 80 g/m² paper, no safety margin.
func dpConfig() postage.Config {
	return postage.Config{
		Carrier: "deutschepost",
		Envelopes: []postage.EnvelopeType{
			{Name: "C6/5", MaxSheets: 10, WeightG: 5.0, Format: "standard"},
			{Name: "C4", MaxSheets: 150, WeightG: 13, Format: "gross"},
		},
	}
}

// single plans one piece and returns its envelope.
func single(t *testing.T, cfg postage.Config, p postage.Piece) postage.Envelope {
	t.Helper()
	plan, err := postage.Make([]postage.Piece{p}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Envelopes) != 1 {
		t.Fatalf("%d envelopes, want 1", len(plan.Envelopes))
	}
	return plan.Envelopes[0]
}

func TestSheetWeight(t *testing.T) {
	tests := []struct {
		name  string
		paper postage.Paper
		want  string
	}{
		{"A4 80 g/m² just under 5 g", postage.Paper{GSM: 80, WidthMM: 210, HeightMM: 297}, "4.99"},
		{"US Letter 20 lb (75 g/m²) about 4.5 g", postage.Paper{GSM: 75, WidthMM: 215.9, HeightMM: 279.4}, "4.524"},
	}
	for _, tt := range tests {
		if got := tt.paper.SheetWeight().String(); got != tt.want {
			t.Errorf("%s: %s g, want %s g", tt.name, got, tt.want)
		}
	}
}

func TestEnvelopeWeightEstimates(t *testing.T) {
	tests := []struct {
		name         string
		w, h         float64
		at80, at90   string // the notes' rounded figures
		got80, got90 postage.Weight
	}{
		{name: "DL", w: 110, h: 220, at80: "4.3", at90: "4.8"},
		{name: "C6/5", w: 114, h: 229, at80: "4.6", at90: "5.2"},
		{name: "C5", w: 162, h: 229, at80: "6.5", at90: "7.3"},
		{name: "C4", w: 229, h: 324, at80: "13", at90: "15"},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			gsm  float64
			want string
		}{{80, tt.at80}, {90, tt.at90}} {
			got := postage.EnvelopeWeight(tt.w, tt.h, c.gsm)
			want, _ := postage.ParseMoney(c.want) // a decimal reader; 4 places
			wantMG := int64(want) / 10
			if d := int64(got) - wantMG; d < -500 || d > 500 {
				t.Errorf("%s at %g g/m²: %s g, want about %s g", tt.name, c.gsm, got, c.want)
			}
		}
	}
}

func TestWorkedExampleDP(t *testing.T) {
	tests := []struct {
		name    string
		pages   int
		duplex  bool
		weight  string
		product string
		price   string
	}{
		{"3 sheets", 3, false, "19.97", "Standardbrief", "0.95"},
		{"4 sheets", 4, false, "24.96", "Kompaktbrief", "1.10"},
		{"6 pages simplex = 6 sheets", 6, false, "34.94", "Kompaktbrief", "1.10"},
		{"the same 6 pages duplex = 3 sheets", 6, true, "19.97", "Standardbrief", "0.95"},
	}
	for _, tt := range tests {
		cfg := dpConfig()
		cfg.Duplex = tt.duplex
		e := single(t, cfg, postage.Piece{Seq: 1, Pages: tt.pages, Sheets: tt.pages})
		if e.Weight.String() != tt.weight || e.Product != tt.product || e.Price.String() != tt.price || e.Type != "C6/5" {
			t.Errorf("%s: %s g %s %s in %s, want %s g %s %s", tt.name, e.Weight, e.Product, e.Price, e.Type,
				tt.weight, tt.product, tt.price)
		}
	}
}

// TestDuplexSaving: 6 pages duplex instead of simplex save €0.15 a piece,
// €15,000 on 100,000 pieces.
func TestDuplexSaving(t *testing.T) {
	pieces := make([]postage.Piece, 100000)
	for i := range pieces {
		pieces[i] = postage.Piece{Seq: i + 1, Pages: 6, Sheets: 6}
	}
	cfg := dpConfig()
	cfg.Duplex = true
	plan, err := postage.Make(pieces, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := plan.Report
	if r.Before.Postage.String() != "110000.00" || r.After.Postage.String() != "95000.00" || r.Saving.String() != "15000.00" {
		t.Errorf("before %s, after %s, saving %s; want 110000.00, 95000.00, 15000.00", r.Before.Postage, r.After.Postage, r.Saving)
	}
}

// TestSafetyMargin: 3 sheets (19.97 g) are too close to the 20 g break; with
// a 0.5 g margin they go Kompakt, unless the paper is 75 g/m².
func TestSafetyMargin(t *testing.T) {
	cfg := dpConfig()
	cfg.SafetyMarginG = 0.5
	e := single(t, cfg, postage.Piece{Seq: 1, Pages: 3})
	if e.Product != "Kompaktbrief" || e.Price.String() != "1.10" {
		t.Errorf("3 sheets at 80 g/m² with a 0.5 g margin: %s %s, want Kompaktbrief 1.10", e.Product, e.Price)
	}
	cfg.Paper = postage.Paper{GSM: 75, WidthMM: 210, HeightMM: 297}
	e = single(t, cfg, postage.Piece{Seq: 1, Pages: 3})
	if e.Product != "Standardbrief" || e.Weight.String() != "19.034" {
		t.Errorf("3 sheets at 75 g/m²: %s g %s, want 19.034 g Standardbrief", e.Weight, e.Product)
	}
}

// TestWorkedExampleHousehold: two one-sheet letters to one household cost
// 2 × €0.95; merged they weigh 15 g and cost €0.95.
func TestWorkedExampleHousehold(t *testing.T) {
	cfg := dpConfig()
	cfg.Household = postage.Household{Enabled: true}
	cfg.Fields.CustomerID = "customer"
	pieces := []postage.Piece{
		{Seq: 1, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"customer": "K-1"})},
		{Seq: 2, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"customer": "K-1"})},
	}
	plan, err := postage.Make(pieces, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Envelopes) != 1 {
		t.Fatalf("%d envelopes, want 1", len(plan.Envelopes))
	}
	e := plan.Envelopes[0]
	if e.Weight.String() != "14.98" || e.Product != "Standardbrief" || len(e.Pieces) != 2 {
		t.Errorf("envelope %s g %s with pieces %v", e.Weight, e.Product, e.Pieces)
	}
	r := plan.Report
	if r.Before.Postage.String() != "1.90" || r.After.Postage.String() != "0.95" || r.Saving.String() != "0.95" {
		t.Errorf("before %s after %s saving %s", r.Before.Postage, r.After.Postage, r.Saving)
	}
	if h := r.Household; h.Households != 1 || h.Pieces != 2 || h.Saved != 1 {
		t.Errorf("household report %+v", h)
	}
}

// TestWorkedExampleBZA: a 50,000-piece Standard run through BZA saves at
// least 25 % of €0.95, about €0.24 a piece.
func TestWorkedExampleBZA(t *testing.T) {
	cfg := dpConfig()
	cfg.Presort = postage.Presort{Enabled: true}
	cfg.Fields.PostalCode = "plz"
	pieces := make([]postage.Piece, 50000)
	for i := range pieces {
		plz := []string{"01067", "04109", "10115", "20095", "80331", "99084"}[i%6]
		pieces[i] = postage.Piece{Seq: i + 1, Pages: 1, Meta: meta.FromMap(map[string]string{"plz": plz})}
	}
	plan, err := postage.Make(pieces, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := plan.Report
	if r.Saving.String() != "11875.00" || r.Before.Postage.String() != "47500.00" {
		t.Errorf("before %s, saving %s; want 47500.00 and 11875.00 (0.2375 a piece)", r.Before.Postage, r.Saving)
	}
	if len(r.Lines) != 1 || r.Lines[0].Level != "BZA" || r.Lines[0].Envelopes != 50000 {
		t.Errorf("lines %+v, want one BZA line of 50000", r.Lines)
	}
	if len(plan.Containers) != 6 || plan.Containers[0].Label != "Leitregion 01" || plan.Containers[5].Group != "99" {
		t.Errorf("containers %+v, want one per Leitregion in PLZ order", plan.Containers)
	}
}

func TestUSPSSinglePiece(t *testing.T) {
	cfg := postage.Config{
		Carrier:   "usps",
		Paper:     postage.Paper{GSM: 75, WidthMM: 215.9, HeightMM: 279.4},
		Envelopes: []postage.EnvelopeType{{Name: "#10", MaxSheets: 12, WeightG: 5, Format: "letter"}},
	}
	tests := []struct {
		sheets int
		price  string
	}{
		{1, "0.74"},  // 9.5 g
		{5, "0.74"},  // 27.6 g, under 1 oz (28.35 g)
		{6, "1.03"},  // 32.1 g
		{11, "1.03"}, // 54.8 g, under 2 oz (56.7 g)
		{12, "1.32"}, // 59.3 g, over 2 oz
	}
	for _, tt := range tests {
		e := single(t, cfg, postage.Piece{Seq: 1, Pages: tt.sheets})
		if e.Price.String() != tt.price || e.Product != "First-Class Mail Letter" {
			t.Errorf("%d sheets (%s g): %s %s, want %s", tt.sheets, e.Weight, e.Product, e.Price, tt.price)
		}
	}
}

func TestRoyalMailSteps(t *testing.T) {
	dl := postage.EnvelopeType{Name: "DL", MaxSheets: 18, WeightG: 4.3, Format: "letter"}
	c4 := postage.EnvelopeType{Name: "C4", MaxSheets: 200, WeightG: 13, Format: "large-letter"}
	tests := []struct {
		envelopes []postage.EnvelopeType
		sheets    int
		product   string
		price     string
	}{
		{[]postage.EnvelopeType{dl, c4}, 18, "Letter", "0.87"},        // 94.12 g
		{[]postage.EnvelopeType{c4}, 17, "Large Letter", "1.55"},      // 97.83 g
		{[]postage.EnvelopeType{dl, c4}, 19, "Large Letter", "2.10"},  // 107.81 g
		{[]postage.EnvelopeType{dl, c4}, 48, "Large Letter", "2.70"},  // 252.52 g
		{[]postage.EnvelopeType{dl, c4}, 97, "Large Letter", "2.70"},  // 497.03 g
		{[]postage.EnvelopeType{dl, c4}, 98, "Large Letter", "3.30"},  // 502.02 g
		{[]postage.EnvelopeType{dl, c4}, 147, "Large Letter", "3.30"}, // 746.53 g
		{[]postage.EnvelopeType{dl, c4}, 148, "", "0.00"},             // 751.52 g: over 750 g
	}
	for _, tt := range tests {
		cfg := postage.Config{Carrier: "royalmail", Envelopes: tt.envelopes}
		e := single(t, cfg, postage.Piece{Seq: 1, Pages: tt.sheets})
		if e.Product != tt.product || e.Price.String() != tt.price || !e.Unconfirmed && tt.product != "" {
			t.Errorf("%d sheets (%s g): %q %s unconfirmed=%v, want %q %s, unconfirmed",
				tt.sheets, e.Weight, e.Product, e.Price, e.Unconfirmed, tt.product, tt.price)
		}
	}
}

// TestThickness: with a caliper set, a letter too thick for the letter
// product goes as a flat.
func TestThickness(t *testing.T) {
	cfg := postage.Config{
		Carrier:   "usps",
		Paper:     postage.Paper{GSM: 75, WidthMM: 215.9, HeightMM: 279.4, CaliperMM: 0.2},
		Envelopes: []postage.EnvelopeType{{Name: "#10", MaxSheets: 12, WeightG: 5, Format: "letter", ThicknessMM: 0.5, Layers: 3}},
	}
	tests := []struct {
		sheets  int
		product string
	}{
		{9, "First-Class Mail Letter"}, // 0.5 + 9×3×0.2 = 5.9 mm
		{10, "First-Class Mail Flat"},  // 6.5 mm, over 1/4 inch
	}
	for _, tt := range tests {
		if e := single(t, cfg, postage.Piece{Seq: 1, Pages: tt.sheets}); e.Product != tt.product {
			t.Errorf("%d sheets: %s, want %s", tt.sheets, e.Product, tt.product)
		}
	}
}
