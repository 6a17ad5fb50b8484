package e2e

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// afpPageRules reads the rules of every page of a print file.
func afpPageRules(t *testing.T, b []byte, paperH float64) [][]marks.Rect {
	t.Helper()
	pages, err := markread.AFPPageRules(b, paperH)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// omrFromRules maps a page's rules onto the profile's OMR positions; a
// rule at no position is an error.
func omrFromRules(t *testing.T, p *marks.Profile, page int, rules []marks.Rect) []bool {
	t.Helper()
	pos := p.OMRPositions()
	code := make([]bool, len(pos))
	for _, r := range rules {
		k := -1
		for i, q := range pos {
			if math.Abs(r.X-q.X) < 0.1 && math.Abs(r.Y-q.Y) < 0.1 && math.Abs(r.W-q.W) < 0.1 && math.Abs(r.H-q.H) < 0.1 {
				k = i
			}
		}
		if k < 0 {
			t.Fatalf("page %d: a rule at %+v is at no OMR position", page, r)
		}
		code[k] = true
	}
	return code
}

// TestMarksAFP prints an AFP run through a workflow with OMR marks and
// parses the output back: every sheet carries the rules of its code where
// the profile puts them, and the codes collate each piece as an envelope.
func TestMarksAFP(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, `version: 1
printers:
  - {name: afpout, driver: file, file: {dir: out}}
workflows:
  - name: statements
    format: afp
    printer: afpout
    marks: {profile: quadient-omr}
hot_folders:
  - {dir: hot/afp, workflow: statements, scan_interval: 200ms}
`)
	sizes := make([]int, 40)
	for i := range sizes {
		sizes[i] = 1 + (i*5+i/7)%6
	}
	drop(t, d.path("hot", "afp"), "run.afp", afptest.Simplex(sizes))
	jobs := d.waitJobs(1, 60*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("job %+v\n%s", jobs[0], d.log())
	}
	outs, _ := filepath.Glob(d.path("out", "*.afp"))
	if len(outs) != 1 {
		t.Fatalf("outputs %v", outs)
	}
	b, err := os.ReadFile(outs[0])
	if err != nil {
		t.Fatal(err)
	}
	p, err := marks.LoadProfile("quadient-omr")
	if err != nil {
		t.Fatal(err)
	}
	pages := afpPageRules(t, b, p.Page().H)
	codes := make([]markread.Code, len(pages))
	for k, rules := range pages {
		codes[k] = markread.Decode(p, omrFromRules(t, p, k+1, rules))
		if !codes[k].Benchmark || !codes[k].ParityOK {
			t.Errorf("page %d: %+v", k+1, codes[k])
		}
	}
	groups, err := markread.Collate(codes)
	if err != nil || len(groups) != len(sizes) {
		t.Fatalf("%d envelopes collated (%v), want one per piece: %d", len(groups), err, len(sizes))
	}
	for k, g := range groups {
		if len(g) != sizes[k] {
			t.Errorf("piece %d: %d sheets collated, want %d", k+1, len(g), sizes[k])
		}
	}
	if err := markread.CheckSequence(p, codes); err != nil {
		t.Error(err)
	}
	png := filepath.Join(t.TempDir(), "afp.png")
	d.ctl("preview", fmt.Sprint(jobs[0].ID), "--piece", "2", "-o", png)
	if g, err := markread.ReadGray(png); err != nil || markread.DarkCount(g) == 0 {
		t.Errorf("AFP preview: %v", err)
	}
}
