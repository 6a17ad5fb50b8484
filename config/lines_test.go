package config

import (
	"errors"
	"strings"
	"testing"
)

const linesYAML = `version: 1
printers:
  - {name: p, driver: file, file: {dir: out}, line: l2}
lines:
  - {name: l1, manifest_dir: m1, result_dir: r1, manifest_layout: mrdf, result_layout: pb-output, marks: pb-omr}
  - {name: l2, manifest_dir: m2, result_dir: r2}
workflows:
  - {name: w, printer: p, line: l1, reprint: {mode: auto, cap: 5%}}
  - {name: v, printer: p}
`

func TestLines(t *testing.T) {
	c, err := Parse([]byte(linesYAML))
	if err != nil {
		t.Fatal(err)
	}
	l, ok := c.LineFor("w", "p")
	if !ok || l.Name != "l1" || l.Manifest.Name != "mrdf" || l.Result.Name != "pb-output" || l.ErrorDir != "r1/error" || l.Profile == nil || l.Profile.Name != "pb-omr" {
		t.Fatalf("line of w: %+v", l)
	}
	if l, ok := c.LineFor("v", "p"); !ok || l.Name != "l2" || l.Manifest.Name != "jaf" || l.Result.Name != "jrf" {
		t.Fatalf("line of v (the printer's): %+v", l)
	}
	wf, _ := c.Workflow("w")
	if share, err := wf.Reprint.CapShare(); err != nil || share != 0.05 {
		t.Errorf("cap %v, %v", share, err)
	}
	if c.Tracking.Retention.Std() != DefaultRetention {
		t.Errorf("retention %v", c.Tracking.Retention)
	}
}

func TestLinesErrors(t *testing.T) {
	bad := strings.NewReplacer("line: l1,", "line: nope,", "result_layout: pb-output", "result_layout: nolayout",
		"cap: 5%", "cap: 150%", "mode: auto", "mode: sometimes", "marks: pb-omr", "marks: ibm-omr").Replace(linesYAML)
	_, err := Parse([]byte(bad))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err %v", err)
	}
	for _, want := range []string{`line "nope" is not defined`, `result_layout`, `no shipped layout "nolayout"`, `reprint.mode`, `cap "150%"`, `line "l1": marks: marks: unknown profile "ibm-omr"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
