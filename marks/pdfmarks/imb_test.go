package pdfmarks

import (
	"fmt"
	"image"
	"testing"

	"github.com/omsd/omsd/imb"
	"github.com/omsd/omsd/marks"
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

// readIMb reads the bars of an IMb from pixels: it finds the bars along
// a line through the middle of the symbol, measures each bar's top and
// bottom, and classifies them against the highest top and the lowest
// bottom (full bars reach both).
func readIMb(g *image.Gray) (string, error) {
	b := g.Bounds()
	top, bottom := b.Max.Y, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if isDark(g, x, y) {
				top, bottom = min(top, y), max(bottom, y)
			}
		}
	}
	if top >= bottom {
		return "", fmt.Errorf("no bars")
	}
	mid := (top + bottom) / 2
	third := float64(bottom-top+1) / 3
	var bars []byte
	for x := b.Min.X; x < b.Max.X; x++ {
		if !isDark(g, x, mid) || (x > b.Min.X && isDark(g, x-1, mid)) {
			continue
		}
		end := x
		for end < b.Max.X && isDark(g, end, mid) {
			end++
		}
		c := (x + end) / 2
		t, u := mid, mid
		for t > top && isDark(g, c, t-1) {
			t--
		}
		for u < bottom && isDark(g, c, u+1) {
			u++
		}
		asc, desc := float64(t-top) < third/2, float64(bottom-u) < third/2
		bars = append(bars, "TDAF"[btoi(asc)*2+btoi(desc)])
	}
	return string(bars), nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

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
	files := renderCrops(t, path, crop{area: zones[0].Rect, dpi: 300, pageH: p.Page().H}, "pgm")
	seen := 0
	for k, s := range sheets { // simplex: page k is sheet k
		g := readGray(t, files[k])
		if s.SheetInEnvelope != 1 {
			if n := darkCount(g); n != 0 {
				t.Errorf("sheet %d, not an address page: %d dark pixels in the IMb zone", k+1, n)
			}
			continue
		}
		e := r.envelopes[seen]
		seen++
		want, err := imb.Encode(fmt.Sprintf("00270123456%09d", e.ID), e.Pieces[0].Meta["zip"])
		if err != nil {
			t.Fatal(err)
		}
		got, err := readIMb(g)
		if err != nil || got != want {
			t.Errorf("envelope %d: bars read %s (%v), want %s", e.ID, got, err, want)
		}
	}
	if seen != len(r.envelopes) {
		t.Errorf("%d address pages, want %d", seen, len(r.envelopes))
	}
}
