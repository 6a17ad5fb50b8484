package postage_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/postage/postagetest"
)

// scenario is a random mail run and a configuration to plan it with.
type scenario struct {
	name   string
	n      int
	opts   postagetest.Options
	config func() postage.Config
}

func scenarios() []scenario {
	f := postage.Fields{PostalCode: postagetest.FieldPostalCode, Country: postagetest.FieldCountry,
		Name: postagetest.FieldName, Address: postagetest.FieldAddress, CustomerID: postagetest.FieldCustomer}
	dp := func() postage.Config {
		c := dpConfig()
		c.Fields = f
		return c
	}
	return []scenario{
		{"dp plain", 2000, postagetest.Options{Carrier: "deutschepost", MaxPages: 12}, dp},
		{"dp everything", 12000, postagetest.Options{Carrier: "deutschepost", MaxPages: 8, HouseholdShare: 0.2, BadShare: 0.02, HotCodes: 40},
			func() postage.Config {
				c := dp()
				c.Duplex = true
				c.SafetyMarginG = 0.5
				c.Household = postage.Household{Enabled: true, Normalise: true, Key: []string{f.Name, f.Address, f.PostalCode}}
				c.Presort = postage.Presort{Enabled: true, Origin: "01"}
				c.Inserts = []postage.Insert{{Name: "flyer", WeightG: 2.5}}
				c.Splits = []postage.SplitRule{{Output: "big", Envelope: "C4"}, {Output: "bza", Level: "BZA"}}
				c.SortKeys = []string{f.Name}
				return c
			}},
		{"dp hold", 3000, postagetest.Options{Carrier: "deutschepost", MaxPages: 40, HouseholdShare: 0.3, BadShare: 0.1},
			func() postage.Config {
				c := dp()
				c.Fallback = postage.FallbackHold
				c.Household = postage.Household{Enabled: true, MaxSheets: 7}
				c.Envelopes[1].MaxSheets = 30 // some pieces fit no envelope
				return c
			}},
		{"usps presort", 6000, postagetest.Options{Carrier: "usps", MaxPages: 5, HouseholdShare: 0.1, BadShare: 0.01, HotCodes: 15},
			func() postage.Config {
				c := uspsPresort()
				c.Fields = f
				c.Fields.PostalCode = postagetest.FieldPostalCode
				c.Household = postage.Household{Enabled: true}
				c.Envelopes = append(c.Envelopes, postage.EnvelopeType{Name: "9x12", MaxSheets: 60, WeightG: 14, Format: "flat"})
				return c
			}},
		{"royal mail", 2000, postagetest.Options{Carrier: "royalmail", MaxPages: 30, BadShare: 0.05},
			func() postage.Config {
				return postage.Config{Carrier: "royalmail", Fields: f, Duplex: true,
					Envelopes: []postage.EnvelopeType{
						{Name: "DL", MaxSheets: 8, WeightG: 4.3, Format: "letter"},
						{Name: "C4", MaxSheets: 100, WeightG: 13, Format: "large-letter"}}}
			}},
	}
}

func TestProperties(t *testing.T) {
	for _, sc := range scenarios() {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", sc.name, seed), func(t *testing.T) {
				pieces := postagetest.Pieces(sc.n, seed, sc.opts)
				cfg := sc.config()
				p := plan(t, pieces, cfg)
				checkPlan(t, pieces, cfg, p)
				again := plan(t, pieces, sc.config())
				if !reflect.DeepEqual(p, again) {
					t.Error("the same input gave another plan")
				}
			})
		}
	}
}

// checkPlan checks the invariants of a plan.
func checkPlan(t *testing.T, pieces []postage.Piece, cfg postage.Config, p *postage.Plan) {
	t.Helper()
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	checkCoverage(t, pieces, p)
	bySeq := map[int]postage.Piece{}
	for _, pc := range pieces {
		bySeq[pc.Seq] = pc
	}
	for i, e := range p.Envelopes {
		if e.ID != i+1 {
			t.Fatalf("envelope %d has id %d", i+1, e.ID)
		}
		checkEnvelope(t, cfg, bySeq, e)
	}
	checkTotals(t, p)
	checkContainers(t, cfg, p)
}

// checkCoverage: every piece is in exactly one envelope or held; the order
// and the outputs hold each printed piece once.
func checkCoverage(t *testing.T, pieces []postage.Piece, p *postage.Plan) {
	t.Helper()
	var inEnvelopes []int
	for _, e := range p.Envelopes {
		inEnvelopes = append(inEnvelopes, e.Pieces...)
	}
	if !slices.Equal(inEnvelopes, p.Order) {
		t.Fatal("order is not the envelopes' pieces in print order")
	}
	all := append(slices.Clone(p.Order), p.Held...)
	slices.Sort(all)
	for i, s := range all {
		if s != pieces[i].Seq {
			t.Fatalf("piece %d printed or held %s", pieces[i].Seq, "not exactly once")
		}
	}
	if len(all) != len(pieces) {
		t.Fatalf("%d pieces printed or held, want %d", len(all), len(pieces))
	}
	n := 0
	for out, seqs := range p.Outputs {
		n += len(seqs)
		if !isSubsequence(seqs, p.Order) {
			t.Errorf("output %s is not in print order", out)
		}
	}
	if n != len(p.Order) {
		t.Errorf("outputs hold %d pieces, order %d", n, len(p.Order))
	}
}

// checkEnvelope: sheets, weight and product limits.
func checkEnvelope(t *testing.T, cfg postage.Config, bySeq map[int]postage.Piece, e postage.Envelope) {
	t.Helper()
	sheets := 0
	for _, s := range e.Pieces {
		pg := bySeq[s].Pages
		if cfg.Duplex {
			pg = (pg + 1) / 2
		}
		sheets += pg
	}
	if sheets != e.Sheets {
		t.Fatalf("envelope %d: %d sheets, pieces have %d", e.ID, e.Sheets, sheets)
	}
	if len(e.Pieces) > 1 && e.Sheets > cfg.Household.MaxSheets {
		t.Fatalf("envelope %d: household of %d sheets over %d", e.ID, e.Sheets, cfg.Household.MaxSheets)
	}
	if e.Type == "" {
		if e.Exception != postage.ExcNoEnvelope {
			t.Fatalf("envelope %d has no type and no exception", e.ID)
		}
		return
	}
	et := cfg.Envelopes[slices.IndexFunc(cfg.Envelopes, func(x postage.EnvelopeType) bool { return x.Name == e.Type })]
	if e.Sheets > et.MaxSheets {
		t.Fatalf("envelope %d: %d sheets in %s (max %d)", e.ID, e.Sheets, et.Name, et.MaxSheets)
	}
	want := postage.Grams(et.WeightG) + postage.Weight(e.Sheets)*cfg.Paper.SheetWeight()
	for _, in := range cfg.Inserts {
		if slices.Contains(e.Insert, in.Name) {
			want += postage.Grams(in.WeightG)
		}
	}
	if e.Weight != want {
		t.Fatalf("envelope %d: weight %s, want %s", e.ID, e.Weight, want)
	}
	if e.Product == "" {
		return
	}
	pr, _ := cfg.Profile.Product(e.Product)
	unit := 1000.0
	if cfg.Profile.WeightUnit == "oz" {
		unit = 28349.523125
	}
	limit := postage.Weight(pr.Steps[len(pr.Steps)-1].UpTo * unit)
	if e.Weight+postage.Grams(cfg.SafetyMarginG) > limit {
		t.Fatalf("envelope %d: %s g with margin over %s limit %s", e.ID, e.Weight, e.Product, limit)
	}
}

// checkTotals: the report's totals are the sums of the envelopes.
func checkTotals(t *testing.T, p *postage.Plan) {
	t.Helper()
	var c postage.Cost
	for _, e := range p.Envelopes {
		c.Pieces += len(e.Pieces)
		c.Envelopes++
		c.Sheets += e.Sheets
		c.Weight += e.Weight
		c.Postage += e.Price
		if e.Product == "" {
			c.Uncosted++
		}
	}
	if c != p.Report.After {
		t.Errorf("report after %+v, envelopes sum to %+v", p.Report.After, c)
	}
	var l postage.Cost
	for _, line := range p.Report.Lines {
		l.Pieces += line.Pieces
		l.Envelopes += line.Envelopes
		l.Sheets += line.Sheets
		l.Weight += line.Weight
		l.Postage += line.Postage
	}
	l.Uncosted = c.Uncosted
	if l != c {
		t.Errorf("report lines sum to %+v, envelopes to %+v", l, c)
	}
	if p.Report.Saving != p.Report.Before.Postage-p.Report.After.Postage {
		t.Error("saving is not before minus after")
	}
	if p.Report.Before.Pieces != len(p.Order) || p.Report.Held != len(p.Held) {
		t.Errorf("before counts %d pieces, %d printed", p.Report.Before.Pieces, len(p.Order))
	}
}

// checkContainers: containers hold runs of envelopes in postal order, and
// meet their level's minimum.
func checkContainers(t *testing.T, cfg postage.Config, p *postage.Plan) {
	t.Helper()
	counts := make([]int, len(p.Containers)+1)
	for _, e := range p.Envelopes {
		counts[e.Container]++
		if e.Container == 0 {
			if e.Level != postage.LevelSingle && !e.Overflow {
				t.Fatalf("envelope %d at %s without a container", e.ID, e.Level)
			}
			continue
		}
		c := p.Containers[e.Container-1]
		if e.ID < c.First || e.ID > c.Last {
			t.Fatalf("envelope %d outside its container %d..%d", e.ID, c.First, c.Last)
		}
		if e.ID > c.First && p.Envelopes[e.ID-2].PostalCode > e.PostalCode && len(e.PostalCode) == len(p.Envelopes[e.ID-2].PostalCode) {
			t.Fatalf("envelope %d out of postal order in container %d", e.ID, c.ID)
		}
	}
	for i, c := range p.Containers {
		if c.ID != i+1 || counts[c.ID] != c.Envelopes || c.Last-c.First+1 != c.Envelopes {
			t.Fatalf("container %+v holds %d envelopes", c, counts[c.ID])
		}
		if c.Level == "5-digit" && c.Envelopes < 150 || c.Level == "BZE" && c.Group != "01" {
			t.Fatalf("container %+v breaks its level's rule", c)
		}
	}
	if cfg.Presort.Enabled {
		perLevel := map[string]int{}
		for _, e := range p.Envelopes {
			perLevel[e.Level]++
		}
		if n := perLevel["BZA"]; n > 0 && n < 5000 {
			t.Fatalf("%d envelopes at BZA, under its minimum", n)
		}
	}
}

func isSubsequence(sub, seq []int) bool {
	i := 0
	for _, s := range seq {
		if i < len(sub) && sub[i] == s {
			i++
		}
	}
	return i == len(sub)
}
