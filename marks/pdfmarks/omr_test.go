package pdfmarks

import (
	"fmt"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/omsd/omsd/marks"
)

// omrDPI is the resolution OMR codes are read at.
const omrDPI = 150

// omrZone is the crop that holds the profile's OMR code.
func omrZone(t *testing.T, p *marks.Profile) crop {
	zones, err := p.Zones(&marks.SheetMarks{})
	if err != nil || len(zones) == 0 || zones[0].Name != "omr" {
		t.Fatalf("zones %v, %v", zones, err)
	}
	return crop{area: zones[0].Rect, dpi: omrDPI, pageH: p.Page().H}
}

// readOMR rebuilds an OMR code from pixels, as a reader on the line
// would: it finds the dark lines across the marks' band and maps each
// line's centre to the nearest position of the code. A line that is not
// at a position, or not as thick as a mark, is an error.
func readOMR(g *image.Gray, c crop, pos []marks.Rect) ([]bool, error) {
	pitch := pos[1].Y - pos[0].Y
	if pitch < 0 {
		pitch = -pitch
	}
	x0, _, _, _ := c.pixels()
	s := c.dpi / 72
	from := int(pos[0].X*s) - x0 + int(pos[0].W*s*0.2)
	to := int((pos[0].X+pos[0].W)*s) - x0 - int(pos[0].W*s*0.2)
	code := make([]bool, len(pos))
	b := g.Bounds()
	start := -1
	for y := b.Min.Y; y <= b.Max.Y; y++ {
		dark := 0
		for x := from; y < b.Max.Y && x < to; x++ {
			if isDark(g, x, y) {
				dark++
			}
		}
		switch {
		case 2*dark > to-from && start < 0:
			start = y
		case 2*dark <= to-from && start >= 0:
			i, err := matchLine(c, pos, float64(start+y-1)/2, float64(y-start), pitch)
			if err != nil {
				return nil, err
			}
			code[i] = true
			start = -1
		}
	}
	return code, nil
}

// matchLine finds the position of a line centred on pixel row cy, rows
// high.
func matchLine(c crop, pos []marks.Rect, cy, rows, pitch float64) (int, error) {
	_, y := c.toPoints(0, cy)
	thick := rows * 72 / c.dpi
	for i, r := range pos {
		if math.Abs(r.Y+r.H/2-y) < pitch/3 {
			if math.Abs(thick-r.H) > 2*72/c.dpi {
				return 0, fmt.Errorf("line at %.1fpt is %.2fpt thick, want %.2f", y, thick, r.H)
			}
			return i, nil
		}
	}
	return 0, fmt.Errorf("line at %.1fpt is at no position", y)
}

// readRun reads the OMR codes of every marked page of an output, one per
// sheet; back pages must be blank in the zone.
func readRun(t *testing.T, path string, p *marks.Profile, r *mailRun, sheets []marks.SheetMarks) [][]bool {
	t.Helper()
	c := omrZone(t, p)
	files := renderCrops(t, path, c, "pgm")
	if len(files) != len(r.pages) {
		t.Fatalf("%d pages rendered, want %d", len(files), len(r.pages))
	}
	sides, err := layout(&Output{Pages: r.pages, Sheets: sheets}, r.duplex)
	if err != nil {
		t.Fatal(err)
	}
	var codes [][]bool
	for i, f := range files {
		g := readGray(t, f)
		if sides[i].back {
			if n := darkCount(g); n != 0 {
				t.Errorf("page %d, the back of sheet %d: %d dark pixels in the OMR zone", i+1, sides[i].sheet+1, n)
			}
			continue
		}
		code, err := readOMR(g, c, p.OMRPositions())
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		codes = append(codes, code)
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
				if fmt.Sprint(code) != fmt.Sprint(sheets[k].OMR) {
					t.Errorf("sheet %d: read %v, computed %v", k+1, code, sheets[k].OMR)
				}
			}
			checkCodes(t, p, r, codes)
		})
	}
}

// checkCodes checks codes read from pages against the plan, knowing only
// the profile's layout: collation, sequence, parity, feeders.
func checkCodes(t *testing.T, p *marks.Profile, r *mailRun, codes [][]bool) {
	t.Helper()
	rd := reader{p: p}
	checkCollation(t, rd, r, codes)
	checkSequence(t, rd, codes)
	for k, code := range codes {
		if !rd.all(code, "BM") || !rd.all(code, "SAF") {
			t.Errorf("sheet %d: benchmark or safety missing", k+1)
		}
		if n := rd.counted(code); n%2 != 0 != (p.OMR.Parity.Make == "odd") {
			t.Errorf("sheet %d: %d marks counted, parity %s broken", k+1, n, p.OMR.Parity.Make)
		}
	}
}

// checkCollation groups the sheets at their EOC marks and compares the
// groups with the plan's envelopes: their sheets, their feeders, and a
// match code that is constant within an envelope.
func checkCollation(t *testing.T, rd reader, r *mailRun, codes [][]bool) {
	t.Helper()
	var groups [][][]bool
	var cur [][]bool
	for _, code := range codes {
		cur = append(cur, code)
		if rd.all(code, "EOC") {
			groups = append(groups, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		t.Errorf("the last %d sheets have no EOC", len(cur))
	}
	if len(groups) != len(r.envelopes) {
		t.Fatalf("EOC marks make %d envelopes, the plan has %d", len(groups), len(r.envelopes))
	}
	for k, e := range r.envelopes {
		want := 0
		for _, pc := range e.Pieces {
			want += pc.Sheets
		}
		if len(groups[k]) != want {
			t.Errorf("envelope %d: %d sheets collated, want %d", e.ID, len(groups[k]), want)
		}
		feeds := wantFeeders(e, rd.p.Stations)
		for j, code := range groups[k] {
			if got := rd.feeders(code); got != feeds {
				t.Errorf("envelope %d sheet %d: feeders %s, want %s", e.ID, j+1, got, feeds)
			}
			if rd.has("MC") && rd.value(code, "MC", rd.p.OMR.Match.First == "msb") != rd.value(groups[k][0], "MC", rd.p.OMR.Match.First == "msb") {
				t.Errorf("envelope %d: the match code changes", e.ID)
			}
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

// checkSequence checks that the WAS bits count sheets as configured.
func checkSequence(t *testing.T, rd reader, codes [][]bool) {
	t.Helper()
	sq := rd.p.OMR.Sequence
	bits := rd.count("WAS")
	lo, top := 1, 1<<bits-1
	if sq.Zero {
		lo = 0
	}
	start, step := lo, 1
	if sq.Count == "down" {
		start, step = top, -1
	}
	want := start
	for k, code := range codes {
		if sq.Reset != "continuous" && rd.all(code, "BOC") {
			want = start
		}
		if got := rd.value(code, "WAS", sq.First == "msb"); got != want {
			t.Fatalf("sheet %d: sequence %d, want %d", k+1, got, want)
		}
		want += step
		if want > top {
			want = lo
		} else if want < lo {
			want = top
		}
	}
}

// reader interprets codes by the profile's position names.
type reader struct{ p *marks.Profile }

func (rd reader) has(name string) bool { return rd.count(name) > 0 }

func (rd reader) count(name string) int {
	n := 0
	for _, pos := range rd.p.OMR.Positions {
		if pos == name {
			n++
		}
	}
	return n
}

// all reports whether every position named name is marked.
func (rd reader) all(code []bool, name string) bool {
	for i, pos := range rd.p.OMR.Positions {
		if pos == name && !code[i] {
			return false
		}
	}
	return true
}

// value reads the positions named name as bits of a number.
func (rd reader) value(code []bool, name string, msbFirst bool) int {
	v, bit := 0, 0
	n := rd.count(name)
	for i, pos := range rd.p.OMR.Positions {
		if pos != name {
			continue
		}
		shift := bit
		if msbFirst {
			shift = n - 1 - bit
		}
		if code[i] {
			v |= 1 << shift
		}
		bit++
	}
	return v
}

// feeders reads the select-feed marks, station 1 first.
func (rd reader) feeders(code []bool) string {
	b := []byte(strings.Repeat("0", rd.p.Stations))
	for i, pos := range rd.p.OMR.Positions {
		var st int
		if _, err := fmt.Sscanf(pos, "SF%d", &st); err == nil && code[i] {
			b[st-1] = '1'
		}
	}
	return string(b)
}

// counted is the number of marks the parity counts.
func (rd reader) counted(code []bool) int {
	n := 0
	for i, pos := range rd.p.OMR.Positions {
		excluded := false
		for _, x := range rd.p.OMR.Parity.Exclude {
			excluded = excluded || x == pos
		}
		if code[i] && !excluded {
			n++
		}
	}
	return n
}
