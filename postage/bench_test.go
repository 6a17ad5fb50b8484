package postage_test

import (
	"testing"

	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/postage/postagetest"
)

// BenchConfig is the configuration of BenchmarkPlan1M: Deutsche Post,
// duplex, householding on normalised name, address and postal code,
// presort (BZE and BZA), an insert and a split.
func benchConfig() postage.Config {
	cfg := dpConfig()
	cfg.Duplex = true
	cfg.SafetyMarginG = 0.5
	cfg.Fields = postage.Fields{PostalCode: postagetest.FieldPostalCode, Country: postagetest.FieldCountry,
		Name: postagetest.FieldName, Address: postagetest.FieldAddress}
	cfg.Household = postage.Household{Enabled: true, Normalise: true}
	cfg.Presort = postage.Presort{Enabled: true, Origin: "04"}
	cfg.Inserts = []postage.Insert{{Name: "flyer", WeightG: 2.5}}
	cfg.Splits = []postage.SplitRule{{Output: "flats", Envelope: "C4"}}
	return cfg
}

// BenchmarkPlan1M plans a run of 1,000,000 pieces: householding, weights,
// presort and print order.
func BenchmarkPlan1M(b *testing.B) {
	pieces := postagetest.Pieces(1_000_000, 1, postagetest.Options{
		Carrier: "deutschepost", MaxPages: 8, HouseholdShare: 0.1, BadShare: 0.001})
	cfg := benchConfig()
	if err := cfg.Prepare(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := postage.Make(pieces, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Order)+len(p.Held) != len(pieces) {
			b.Fatalf("%d pieces planned", len(p.Order))
		}
	}
}
