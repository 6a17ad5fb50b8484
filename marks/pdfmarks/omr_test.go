package pdfmarks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// readRun reads the OMR codes of every marked page of an output, one per
// sheet; back pages must be blank in the zone.
func readRun(t *testing.T, path string, p *marks.Profile, r *mailRun, sheets []marks.SheetMarks) []markread.Code {
	t.Helper()
	ims := renderView(t, path, p, "omr", &marks.SheetMarks{})
	if len(ims) != len(r.pages) {
		t.Fatalf("%d pages rendered, want %d", len(ims), len(r.pages))
	}
	sides, err := layout(&Output{Pages: r.pages, Sheets: sheets}, r.duplex)
	if err != nil {
		t.Fatal(err)
	}
	var codes []markread.Code
	for i, im := range ims {
		if sides[i].back {
			if n := markread.DarkCount(im.Gray); n != 0 {
				t.Errorf("page %d, the back of sheet %d: %d dark pixels in the OMR zone", i+1, sides[i].sheet+1, n)
			}
			continue
		}
		code, err := markread.ReadOMR(im, p)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		codes = append(codes, markread.Decode(p, code))
	}
	return codes
}

func TestOMRReadBack(t *testing.T) {
	for _, c := range []struct {
		profile string
		duplex  bool
	}{{"pb-omr", false}, {"pb-omr", true}, {"quadient-omr", false}, {"quadient-omr", true}} {
		t.Run(fmt.Sprintf("%s/duplex=%v", c.profile, c.duplex), func(t *testing.T) {
			t.Parallel()
			p := loadProfile(t, c.profile)
			r := newMailRun(t, 50, c.duplex)
			path, sheets := r.write(t, p)
			codes := readRun(t, path, p, r, sheets)
			if len(codes) != len(sheets) {
				t.Fatalf("%d codes read, want one per sheet: %d", len(codes), len(sheets))
			}
			for k, code := range codes {
				if fmt.Sprint(code.Marks) != fmt.Sprint(sheets[k].OMR) {
					t.Errorf("sheet %d: read %v, computed %v", k+1, code.Marks, sheets[k].OMR)
				}
			}
			checkCodes(t, p, r, codes)
		})
	}
}

// checkCodes checks codes read from pages against the plan, knowing only
// the profile's layout: collation, sequence, parity, feeders.
func checkCodes(t *testing.T, p *marks.Profile, r *mailRun, codes []markread.Code) {
	t.Helper()
	envs, err := markread.Collate(codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) != len(r.envelopes) {
		t.Fatalf("the marks collate %d envelopes, the plan has %d", len(envs), len(r.envelopes))
	}
	for k, e := range r.envelopes {
		want := 0
		for _, pc := range e.Pieces {
			want += pc.Sheets
		}
		if len(envs[k]) != want {
			t.Errorf("envelope %d: %d sheets collated, want %d", e.ID, len(envs[k]), want)
		}
		if got, want := codes[envs[k][0]].FeederDigits(), wantFeeders(e, p.Stations); got != want {
			t.Errorf("envelope %d: feeders %s, want %s", e.ID, got, want)
		}
	}
	if err := markread.CheckSequence(p, codes); err != nil {
		t.Error(err)
	}
	for k, c := range codes {
		if !c.Benchmark || !c.ParityOK {
			t.Errorf("sheet %d: benchmark %v, parity ok %v", k+1, c.Benchmark, c.ParityOK)
		}
	}
}

// wantFeeders is "1" for each station an envelope's inserts need.
func wantFeeders(e marks.EnvelopeSheets, stations int) string {
	b := []byte(strings.Repeat("0", stations))
	for _, name := range e.Inserts {
		b[testFeeders[name]-1] = '1'
	}
	return string(b)
}
