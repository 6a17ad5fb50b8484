package pdfmarks

import (
	"fmt"
	"testing"

	"github.com/omsd/omsd/imb"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// imbProfile prints an IMb in the lower right corner, the leftmost bar 4
// inches from the right edge, as USPS places it on a letter.
const imbProfile = `
name: imb-test
paper: {width: 595pt, height: 842pt}
imb:
  barcode_id: "00"
  service_type: "270"
  mailer_id: "123456"
  serial: "{envelope:9}"
  routing: "{meta.zip}"
  corner: bottom-right
  x: 4in
  y: 0.6in
`

func TestIMbReadBack(t *testing.T) {
	p, err := marks.ParseProfile([]byte(imbProfile))
	if err != nil {
		t.Fatal(err)
	}
	r := newMailRun(t, 50, false)
	path, sheets := r.write(t, p)
	zones, err := p.Zones(&sheets[0])
	if err != nil || len(zones) != 1 || zones[0].Name != "imb" {
		t.Fatalf("zones %v %v", zones, err)
	}
	ims := render(t, path, p, zones[0].Rect, markread.IMbDPI)
	seen := 0
	for k, s := range sheets { // simplex: page k is sheet k
		if s.SheetInEnvelope != 1 {
			if n := markread.DarkCount(ims[k].Gray); n != 0 {
				t.Errorf("sheet %d, not an address page: %d dark pixels in the IMb zone", k+1, n)
			}
			continue
		}
		e := r.envelopes[seen]
		seen++
		want, err := imb.Encode(fmt.Sprintf("00270123456%09d", e.ID), e.Pieces[0].Meta.Get("zip"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := markread.ReadIMb(ims[k])
		if err != nil || got != want {
			t.Errorf("envelope %d: bars read %s (%v), want %s", e.ID, got, err, want)
		}
	}
	if seen != len(r.envelopes) {
		t.Errorf("%d address pages, want %d", seen, len(r.envelopes))
	}
}
