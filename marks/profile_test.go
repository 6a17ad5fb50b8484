package marks

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// omrYAML is a small OMR profile for tests; %s parts are replaced.
const omrYAML = `
name: test
stations: 2
feeders: {brochure: 1, return: 2}
omr:
  corner: top-left
  edge: 8mm
  start: 100mm
  pitch: 4.2333mm
  length: 15mm
  thickness: 0.5mm
  positions: [BM, BOC, EOC, NBOC, NEOC, SF1, SF2, DVF, WAS, WAS, WAS, MC, MC, PAR, SAF]
`

func mustParse(t *testing.T, src string) *Profile {
	t.Helper()
	p, err := ParseProfile([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestShippedProfiles(t *testing.T) {
	names := Profiles()
	if strings.Join(names, " ") != "datamatrix-fbp pb-omr quadient-omr" {
		t.Fatalf("shipped profiles %v", names)
	}
	for _, n := range names {
		p, err := LoadProfile(n)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if p.Name != n {
			t.Errorf("profile %s names itself %q", n, p.Name)
		}
	}
	if _, err := LoadProfile("nosuch"); !errors.Is(err, ErrUnknownProfile) {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestLoadProfileFromPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "line1.yaml")
	if err := os.WriteFile(path, []byte(omrYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.OMRPositions()) != 15 || p.Sides != SidesFront || p.Paper.Width != MM(210) {
		t.Errorf("profile %+v: want 15 positions, front, A4 by default", p)
	}
}

func TestParseProfileErrors(t *testing.T) {
	for _, c := range []struct{ name, replace, with, want string }{
		{"unknown key", "stations: 2", "stations: 2\ncolour: red", `line 4: unknown key "colour" (in Profile)`},
		{"length without unit", "pitch: 4.2333mm", "pitch: 4.2", `line 9: length "4.2"`},
		{"bad position", "BM, BOC", "BM, XX", `position "XX"`},
		{"two parities", "MC, PAR", "PAR, PAR", "at most one PAR"},
		{"station beyond", "SF2, DVF", "SF3, DVF", "SF3: the profile has 2 stations"},
		{"feeder station", "return: 2", "return: 5", "station 5"},
		{"AB without batch", "DVF,", "AB,", "AB position needs batch"},
		{"corner", "corner: top-left", "corner: middle", `corner "middle"`},
		{"off the paper", "start: 100mm", "start: 290mm", "lies off the paper"},
		{"pitch", "pitch: 4.2333mm", "pitch: 0.3mm", "must exceed the thickness"},
		{"sequence", "edge: 8mm", "edge: 8mm\n  sequence: {count: sideways}", `sequence.count "sideways"`},
		{"parity exclude", "edge: 8mm", "edge: 8mm\n  parity: {exclude: [PAR]}", "always counts"},
		{"sides", "stations: 2", "stations: 2\nsides: top", `sides "top"`},
		{"one WAS bit", "WAS, WAS, WAS", "WAS", "never changes"},
		{"no name", "name: test", "name: ''", "name is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(omrYAML, c.replace, c.with, 1)
			if src == omrYAML {
				t.Fatalf("%q not in the profile", c.replace)
			}
			_, err := ParseProfile([]byte(src))
			if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want ErrProfile with %q", err, c.want)
			}
		})
	}
}

func TestParseBarcodeErrors(t *testing.T) {
	const base = `
name: bc
stations: 4
barcode: {symbology: i2of5, content: "{envelope:6}{sheet:2}", module: 0.3mm, height: 10mm}
`
	for _, c := range []struct{ replace, with, want string }{
		{"i2of5", "qr", `symbology "qr"`},
		{"{envelope:6}", "{envelope:6}X", `i2of5 cannot carry "X"`},
		{"{sheet:2}", "{page}", "unknown field {page}"},
		{"{sheet:2}", "{sheet:0}", `width "0"`},
		{"{sheet:2}", "{sheet", "unclosed {"},
		{"{sheet:2}", "{feeders:2}", "narrower than the profile's 4 stations"},
		{"height: 10mm", "height: 10mm, rotate: 45", "rotate 45"},
		{"module: 0.3mm, ", "", "module (and height"},
		{`"{envelope:6}{sheet:2}"`, `"{envelope}", check: luhn`, `check "luhn"`},
	} {
		src := strings.Replace(base, c.replace, c.with, 1)
		_, err := ParseProfile([]byte(src))
		if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s -> %s: error %v, want %q", c.replace, c.with, err, c.want)
		}
	}
}

func TestParseIMbErrors(t *testing.T) {
	const base = `
name: usps
paper: {width: 8.5in, height: 11in}
imb: {barcode_id: "00", service_type: "270", mailer_id: "123456", serial: "{envelope:9}", routing: "{meta.zip}", corner: top-left, x: 1in, y: 2in}
`
	mustParse(t, base)
	for _, c := range []struct{ replace, with, want string }{
		{`"00"`, `"05"`, "barcode_id"},
		{`"270"`, `"27"`, "service_type"},
		{`"123456"`, `"923456"`, "9-digit mailer IDs start with 9"},
		{`"123456"`, `"12345"`, "mailer_id"},
		{`"{envelope:9}"`, `""`, "serial is required"},
		{"x: 1in", "x: 8in", "off the paper"},
	} {
		src := strings.Replace(base, c.replace, c.with, 1)
		_, err := ParseProfile([]byte(src))
		if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s -> %s: error %v, want %q", c.replace, c.with, err, c.want)
		}
	}
}

func TestLength(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"25.4mm", 72, true}, {"1in", 72, true}, {"2.54cm", 72, true}, {"12pt", 12, true},
		{" 0.5 mm ", 0.5 * 72 / 25.4, true}, {"12", 0, false}, {"mm", 0, false}, {"-1mm", 0, false},
		{"1e9mm", 0, false}, {"1ft", 0, false},
	} {
		got, err := ParseLength(c.in)
		if (err == nil) != c.ok || (c.ok && abs(got.Points()-c.want) > 1e-9) {
			t.Errorf("ParseLength(%q) = %v, %v; want %v ok=%v", c.in, got.Points(), err, c.want, c.ok)
		}
	}
	if s := MM(4.23).String(); s != "4.23mm" {
		t.Errorf("String %s", s)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
