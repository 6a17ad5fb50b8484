package spool

import (
	"encoding/json"
	"testing"
)

// TestPathJSON stores paths that are not UTF-8 in a job's intake journal and
// reads them back byte for byte.
func TestPathJSON(t *testing.T) {
	for _, p := range []Path{"/hot/a.pdf", "/hot/M\xfcller.pdf", "/h\xff/\xfe", ""} {
		b, err := json.Marshal(IntakeFile{Source: p})
		if err != nil {
			t.Fatal(err)
		}
		var f IntakeFile
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if f.Source != p {
			t.Errorf("%q came back as %q (%s)", p, f.Source, b)
		}
	}
}
