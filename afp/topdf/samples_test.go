package topdf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// samplesDir holds the public AFP samples of the afp package.
const samplesDir = "../testdata/samples"

// TestSamples transforms every public AFP sample: each gives a PDF that
// qpdf finds sound and pdftoppm renders, and every sample whose content
// is not drawn says so in a warning.
func TestSamples(t *testing.T) {
	needTool(t, "qpdf", "qpdf")
	needTool(t, "pdftoppm", "poppler-utils")
	paths, err := filepath.Glob(filepath.Join(samplesDir, "*.afp"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no AFP samples in %s: %v", samplesDir, err)
	}
	dir := t.TempDir()
	wantWarn := map[string]string{
		"afplib_HelloWorld_hello.afp": "no pages",
		"fop_F1SAMPLE.afp":            "no pages",
		"afplib_bim.afp":              "drawn on a page of its own",
	}
	for _, p := range paths {
		name := filepath.Base(p)
		in, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		res, err := Transform(bytes.NewReader(in), &out, Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		pdf := filepath.Join(dir, strings.TrimSuffix(name, ".afp")+".pdf")
		if err := os.WriteFile(pdf, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, "qpdf", "--check", pdf)
		renderPages(t, pdf, filepath.Join(dir, strings.TrimSuffix(name, ".afp")))
		var all []string
		for _, w := range res.Warnings {
			all = append(all, w.String())
		}
		t.Logf("%s: %d pages, %d warnings", name, res.Pages, len(res.Warnings))
		if want, ok := wantWarn[name]; ok && !strings.Contains(strings.Join(all, "\n"), want) {
			t.Errorf("%s: no warning saying %q among:\n%s", name, want, strings.Join(all, "\n"))
		}
	}
}

// TestSampleText: the text of a sample with fonts and images comes out
// of the PDF as words, in its code page (Windows-1252 here).
func TestSampleText(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(samplesDir, "printstreamer_test_afp.afp"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "out.pdf")
	res := transformFile(t, in, pdf, Options{})
	if res.Pages != 3 {
		t.Errorf("%d pages, want 3", res.Pages)
	}
	text := string(run(t, "pdftotext", pdf, "-"))
	for _, want := range []string{"Restoration of the Aaronic Priesthood", "Jacob’s", "Chalkboard(s)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}

// TestSampleFontObject: a TrueType font carried in the file (an object
// container the Map Data Resource names) is embedded, and its UTF-16
// text extracts; the sample's Data Matrix reads back.
func TestSampleFontObject(t *testing.T) {
	needTool(t, "dmtxread", "dmtx-utils")
	in, err := os.ReadFile(filepath.Join(samplesDir, "afplib_samples_start.afp"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "start.pdf")
	res := transformFile(t, in, pdf, Options{})
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if n := strings.Count(string(run(t, "pdftotext", pdf, "-")), "START"); n != 8 {
		t.Errorf("%d words START extracted, want 8", n)
	}
	if fonts := string(run(t, "pdffonts", pdf)); !strings.Contains(fonts, "+ArialMT") {
		t.Errorf("the font object is not embedded:\n%s", fonts)
	}
	run(t, "pdftoppm", "-r", "150", "-gray", "-x", "0", "-y", "1300", "-W", "200", "-H", "250", pdf, filepath.Join(dir, "dm"))
	crops, _ := filepath.Glob(filepath.Join(dir, "dm*.pgm"))
	if len(crops) != 1 {
		t.Fatalf("%d crops", len(crops))
	}
	if got := strings.TrimSpace(string(run(t, "dmtxread", "-n", crops[0]))); got != "0010010100641000055100000000000000" {
		t.Errorf("Data Matrix reads %q", got)
	}
}
