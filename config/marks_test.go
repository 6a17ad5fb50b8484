package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMarksSection(t *testing.T) {
	base := "version: 1\nprinters:\n  - {name: f, driver: file, file: {dir: o}}\nworkflows:\n  - name: w\n    printer: f\n    marks:\n"
	c, err := Parse([]byte(base + "      profile: pb-omr\n      feeders: {brochure: 2}\n      sides: both\n"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := c.Workflow("w")
	p := w.Marks.Loaded()
	if p == nil || p.Name != "pb-omr" || p.Feeders["brochure"] != 2 || p.Sides != "both" {
		t.Fatalf("marks not prepared: %+v", p)
	}
	dir := t.TempDir()
	custom := filepath.Join(dir, "line7.yaml")
	os.WriteFile(custom, []byte("name: line7\nbarcode: {symbology: code128, content: \"{envelope:6}\", module: 0.4mm, height: 8mm}\n"), 0o644)
	if c, err = Parse([]byte(strings.Replace(base, "version: 1\n", "version: 1\nstate_dir: "+dir+"\n", 1) + "      profile: line7.yaml\n")); err != nil {
		t.Fatal(err)
	}
	if w, _ = c.Workflow("w"); w.Marks.Loaded().Name != "line7" {
		t.Errorf("profile file not loaded: %+v", w.Marks.Loaded())
	}
	for _, c := range []struct{ yaml, want string }{
		{"      profile: ibm-omr\n", `workflow "w": marks.profile: marks: unknown profile "ibm-omr"`},
		{"      feeders: {a: 1}\n", `marks.profile is missing`},
		{"      profile: pb-omr\n      feeders: {brochure: 9}\n", `workflow "w": marks:`},
		{"      profile: pb-omr\n      sides: top\n", `sides "top"`},
		{"      profile: pb-omr\n      colour: red\n", `unknown key "colour"`},
		{"      profile: missing.yaml\n", `marks.profile: marks profile:`},
	} {
		if _, err := Parse([]byte(base + c.yaml)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.want)
		}
	}
}

func TestMarksDivertFieldFromLine(t *testing.T) {
	c, err := Parse([]byte(`version: 1
printers:
  - {name: f, driver: file, file: {dir: o}}
lines:
  - {name: l1, manifest_dir: m1, result_dir: r1, divert_field: pull}
workflows:
  - {name: w, printer: f, line: l1, marks: {profile: pb-omr}}
  - {name: v, printer: f, line: l1, marks: {profile: pb-omr, divert_field: own}}
`))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"w": "pull", "v": "own"} {
		if w, _ := c.Workflow(name); w.Marks.DivertField != want {
			t.Errorf("workflow %s: marks divert field %q, want %q", name, w.Marks.DivertField, want)
		}
	}
}
