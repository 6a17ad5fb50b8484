package marks

import (
	"errors"
	"strings"
	"testing"
)

// TestStream: envelope by envelope, a stream gives each envelope's sheets
// only, with the output's counters (the batch ends on envelopes 2, 4 and
// the last of five), and refuses an envelope past the output's count.
func TestStream(t *testing.T) {
	p := mustParse(t, strings.Replace(omrYAML, "DVF,", "AB,", 1)+"  batch: 2\n")
	e := envs(1, 2, 1, 1, 1)
	st, err := NewStream(JobInfo{}, p, len(e))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range e {
		if st.Done() {
			t.Fatalf("done after %d of %d envelopes", k, len(e))
		}
		sheets, err := st.Next(&e[k])
		if err != nil {
			t.Fatal(err)
		}
		var ab string
		for _, s := range sheets {
			if s.Envelope != e[k].ID {
				t.Errorf("envelope %d: a sheet of envelope %d", e[k].ID, s.Envelope)
			}
			ab += bitsOf(p, s, "AB")
		}
		got = append(got, ab)
	}
	if g := strings.Join(got, " "); g != "0 11 0 1 1" {
		t.Errorf("AB per envelope %s, want 0 11 0 1 1", g)
	}
	if !st.Done() {
		t.Error("not done after the last envelope")
	}
	if _, err := st.Next(&e[0]); !errors.Is(err, ErrSheets) {
		t.Errorf("an envelope past the output's: %v, want ErrSheets", err)
	}
	if _, err := NewStream(JobInfo{}, &Profile{Name: "raw"}, 1); !errors.Is(err, ErrProfile) {
		t.Errorf("unprepared profile: %v", err)
	}
}
