package postage_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/postage"
)

// run makes pieces of one sheet from a list of (postal code, count).
type run []struct {
	code string
	n    int
}

func (r run) pieces(pages int) []postage.Piece {
	var ps []postage.Piece
	for _, g := range r {
		for range g.n {
			ps = append(ps, postage.Piece{Seq: len(ps) + 1, Pages: pages, Meta: meta.FromMap(map[string]string{"zip": g.code})})
		}
	}
	return ps
}

// spread is n pieces to n ZIPs from 30001 on (prefixes 300-, not in the
// sample AADC list, so mixed AADC).
func spread(n int) run {
	var r run
	for i := range n {
		r = append(r, struct {
			code string
			n    int
		}{fmt.Sprintf("%05d", 30001+i), 1})
	}
	return r
}

func uspsPresort() postage.Config {
	return postage.Config{
		Carrier:   "usps",
		Paper:     postage.Paper{GSM: 75, WidthMM: 215.9, HeightMM: 279.4},
		Envelopes: []postage.EnvelopeType{{Name: "#10", MaxSheets: 6, WeightG: 5, Format: "letter"}},
		Presort:   postage.Presort{Enabled: true, Origin: "10001"},
		Fields:    postage.Fields{PostalCode: "zip"},
	}
}

func plan(t *testing.T, pieces []postage.Piece, cfg postage.Config) *postage.Plan {
	t.Helper()
	p, err := postage.Make(pieces, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// levels counts envelopes per level, and overflow riders as level+"/overflow".
func levels(p *postage.Plan) map[string]int {
	m := map[string]int{}
	for _, e := range p.Envelopes {
		k := e.Level
		if e.Overflow {
			k += "/overflow"
		}
		m[k]++
	}
	return m
}

func TestUSPS150PieceTray(t *testing.T) {
	tests := []struct {
		name   string
		run    run
		levels map[string]int
		first  postage.Container
	}{
		{"150 pieces for one ZIP make a 5-digit tray",
			append(run{{"60601", 150}}, spread(350)...),
			map[string]int{"5-digit": 150, "mixed AADC": 350},
			postage.Container{ID: 1, Stream: "FCM automation letters", Level: "5-digit", Group: "60601", Kind: "1-ft tray",
				Label: "60601", Content: "FCM LTR 5D BC", Envelopes: 150, Pieces: 150, First: 1, Last: 150}},
		{"149 pieces go to the AADC tray",
			append(run{{"60601", 149}}, spread(351)...),
			map[string]int{"AADC": 149, "mixed AADC": 351},
			postage.Container{ID: 1, Stream: "FCM automation letters", Level: "AADC", Group: "CHICAGO IL 606", Kind: "1-ft tray",
				Label: "CHICAGO IL 606", Content: "FCM LTR AADC BC", Envelopes: 149, Pieces: 149, First: 1, Last: 149}},
		{"150 pieces in one 3-digit area make a 3-digit tray",
			append(run{{"60601", 100}, {"60699", 50}}, spread(350)...),
			map[string]int{"3-digit": 150, "mixed AADC": 350},
			postage.Container{ID: 1, Stream: "FCM automation letters", Level: "3-digit", Group: "606", Kind: "1-ft tray",
				Label: "606", Content: "FCM LTR 3D BC", Envelopes: 150, Pieces: 150, First: 1, Last: 150}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plan(t, tt.run.pieces(1), uspsPresort())
			if got := levels(p); !mapsEqual(got, tt.levels) {
				t.Errorf("levels %v, want %v", got, tt.levels)
			}
			if len(p.Containers) != 2 || p.Containers[0] != tt.first {
				t.Errorf("containers %+v\nwant first %+v", p.Containers, tt.first)
			}
			if mxd := p.Containers[len(p.Containers)-1]; mxd.Label != "MXD 10001" || mxd.Content != "FCM LTR AADC BC WKG" {
				t.Errorf("mixed AADC container %+v", mxd)
			}
		})
	}
}

func TestUSPSPrices(t *testing.T) {
	p := plan(t, append(run{{"60601", 150}, {"60602", 149}}, spread(201)...).pieces(1), uspsPresort())
	want := map[string]string{"5-digit": "0.57", "AADC": "0.62", "mixed AADC": "0.67"}
	for _, e := range p.Envelopes {
		if e.Price.String() != want[e.Level] || !e.Unconfirmed {
			t.Fatalf("envelope %+v: want price %s, unconfirmed", e, want[e.Level])
		}
	}
	if !p.Report.Unconfirmed {
		t.Error("report does not say that prices are unconfirmed")
	}
}

func TestUSPSMailingMinimum(t *testing.T) {
	for _, n := range []int{499, 500} {
		p := plan(t, append(run{{"60601", 200}}, spread(n-200)...).pieces(1), uspsPresort())
		got := levels(p)
		if n == 499 && (got[postage.LevelSingle] != 499 || len(p.Containers) != 0 || !hasNote(p, "below the minimum of 500")) {
			t.Errorf("499 pieces: levels %v, containers %d, notes %v; want all single-piece", got, len(p.Containers), p.Report.Notes)
		}
		if n == 500 && (got["5-digit"] != 200 || got["mixed AADC"] != 300) {
			t.Errorf("500 pieces: levels %v", got)
		}
	}
}

// TestUSPSTrayCapacity: 2-foot trays first, the rest in a 1-foot tray; a
// rest under 150 overflows into the AADC tray at the 5-digit price.
func TestUSPSTrayCapacity(t *testing.T) {
	p := plan(t, run{{"60601", 650}, {"60602", 520}}.pieces(1), uspsPresort())
	var got []string
	for _, c := range p.Containers {
		got = append(got, fmt.Sprintf("%s %s %s %d", c.Level, c.Group, c.Kind, c.Envelopes))
	}
	want := []string{
		"5-digit 60601 2-ft tray 500", "5-digit 60601 1-ft tray 150",
		"5-digit 60602 2-ft tray 500", "AADC CHICAGO IL 606 1-ft tray 20",
	}
	if !slices.Equal(got, want) {
		t.Errorf("containers\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if l := levels(p); l["5-digit"] != 1150 || l["5-digit/overflow"] != 20 {
		t.Errorf("levels %v, want 1150 5-digit and 20 riding over", l)
	}
	for _, e := range p.Envelopes {
		if e.Price.String() != "0.57" {
			t.Fatalf("envelope %d at %s, want the 5-digit price", e.ID, e.Price)
		}
	}
	if line := p.Report.Lines; len(line) != 1 || line[0].Level != "5-digit" || line[0].Envelopes != 1170 {
		t.Errorf("report lines %+v", line)
	}
}

func dpPresort() postage.Config {
	cfg := dpConfig()
	cfg.Presort = postage.Presort{Enabled: true, Origin: "04109"}
	cfg.Fields.PostalCode = "zip"
	return cfg
}

// TestDeutschePostBZE: at least 250 Standard (100 Groß) pieces for the
// Leitregion of the posting Briefzentrum.
func TestDeutschePostBZE(t *testing.T) {
	tests := []struct {
		name   string
		run    run
		pages  int
		levels map[string]int
		price  string // of the BZE envelopes
	}{
		{"250 Standard", run{{"04109", 200}, {"04229", 50}, {"10115", 100}}, 1,
			map[string]int{"BZE": 250, postage.LevelSingle: 100}, "0.532"},
		{"249 Standard", run{{"04109", 249}, {"10115", 100}}, 1,
			map[string]int{postage.LevelSingle: 349}, ""},
		{"100 Groß", run{{"04109", 100}}, 12,
			map[string]int{"BZE": 100}, "1.566"},
		{"99 Groß", run{{"04109", 99}}, 12,
			map[string]int{postage.LevelSingle: 99}, ""},
	}
	for _, tt := range tests {
		p := plan(t, tt.run.pieces(tt.pages), dpPresort())
		if got := levels(p); !mapsEqual(got, tt.levels) {
			t.Errorf("%s: levels %v, want %v", tt.name, got, tt.levels)
		}
		for _, e := range p.Envelopes {
			if e.Level == "BZE" && (e.Price.String() != tt.price || e.PostalCode[:2] != "04") {
				t.Errorf("%s: BZE envelope %+v, want price %s", tt.name, e, tt.price)
			}
		}
	}
}

// TestDeutschePostBZA: 5,000 Standard/Kompakt pieces per posting.
func TestDeutschePostBZA(t *testing.T) {
	for _, n := range []int{4999, 5000} {
		cfg := dpPresort()
		cfg.Presort.Origin = ""
		p := plan(t, run{{"01067", n / 2}, {"80331", n - n/2}}.pieces(1), cfg)
		got := levels(p)
		if n == 4999 && (got[postage.LevelSingle] != n || !hasNote(p, "below its minimum of 5000")) {
			t.Errorf("%d: levels %v, notes %v", n, got, p.Report.Notes)
		}
		if n == 5000 && got["BZA"] != n {
			t.Errorf("%d: levels %v", n, got)
		}
		if !hasNote(p, "BZE needs presort.origin") {
			t.Errorf("%d: no note that BZE needs an origin: %v", n, p.Report.Notes)
		}
	}
}

// TestBZEThenBZA: the origin's Leitregion goes BZE, the rest BZA; the print
// order follows the containers, numbered per stream.
func TestBZEThenBZA(t *testing.T) {
	p := plan(t, run{{"80331", 2600}, {"04109", 300}, {"01067", 2500}}.pieces(1), dpPresort())
	if got := levels(p); got["BZE"] != 300 || got["BZA"] != 5100 {
		t.Fatalf("levels %v", got)
	}
	var groups []string
	for _, c := range p.Containers {
		groups = append(groups, c.Level+" "+c.Group)
	}
	if want := []string{"BZE 04", "BZA 01", "BZA 80"}; !slices.Equal(groups, want) {
		t.Errorf("containers %v, want %v", groups, want)
	}
	for i, e := range p.Envelopes {
		if c := p.Containers[e.Container-1]; e.Number != i+1 || c.Stream != "Standard/Kompakt" {
			t.Fatalf("envelope %d: number %d stream %q", e.ID, e.Number, c.Stream)
		}
	}
}

func hasNote(p *postage.Plan, s string) bool {
	return slices.ContainsFunc(p.Report.Notes, func(n string) bool { return strings.Contains(n, s) })
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
