package postage

import (
	"strings"
	"testing"
)

// FuzzParseProfile: a rate profile file never panics the parser, and a
// profile it accepts plans a piece.
func FuzzParseProfile(f *testing.F) {
	for _, name := range Profiles() {
		b, err := ratesFS.ReadFile("rates/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(minimalProfile))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProfile(b)
		if err != nil {
			return
		}
		cfg := Config{Profile: p, Envelopes: []EnvelopeType{{Name: "e", MaxSheets: 10, WeightG: 5, Format: p.Formats[0]}}}
		if _, err := Make([]Piece{{Seq: 1, Pages: 3}}, cfg); err != nil && !strings.Contains(err.Error(), "postage:") {
			t.Fatalf("plan: %v", err)
		}
	})
}

// FuzzLabellingList: a labelling list never panics the reader.
func FuzzLabellingList(f *testing.F) {
	f.Add("\"005, 115, 117-119\",\"MID-ISLAND NY 117\"\n606,CHICAGO IL 606\n")
	f.Add("# x\nColumn A,Column B\n000-999,ALL\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := LoadLabellingList(strings.NewReader(s))
		if err == nil && len(m) == 0 {
			t.Fatal("accepted an empty list")
		}
	})
}
