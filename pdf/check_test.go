package pdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// qpdfObjects returns the dictionaries of every object of the file, as
// qpdf's JSON shows them (names as "/Name", references as "N 0 R").
func qpdfObjects(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	bin := pdftest.NeedTool(t, "qpdf", "qpdf")
	out, err := exec.Command(bin, "--json=2", "--json-key=qpdf", path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var doc struct {
		QPDF []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.QPDF) != 2 {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var objs map[string]map[string]any
	if err := json.Unmarshal(doc.QPDF[1], &objs); err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	dicts := map[string]map[string]any{}
	for key, obj := range objs {
		d, _ := obj["value"].(map[string]any)
		if s, ok := obj["stream"].(map[string]any); ok {
			d, _ = s["dict"].(map[string]any)
		}
		if d != nil {
			dicts[key] = d
		}
	}
	return dicts
}

// countObjects counts the objects whose entry key has value val.
func countObjects(objs map[string]map[string]any, key, val string) int {
	n := 0
	for _, d := range objs {
		if d[key] == val {
			n++
		}
	}
	return n
}

// checkOutput checks an output: qpdf finds it sound, and its pages show
// the texts of the given input pages.
func checkOutput(t *testing.T, path string, texts []string, pages []int) {
	t.Helper()
	out := qpdf(t, "--check", path)
	if !strings.Contains(out, "No syntax or stream encoding errors") || strings.Contains(out, "WARNING") {
		t.Errorf("qpdf --check %s:\n%s", path, out)
	}
	var want []string
	for _, p := range pages {
		want = append(want, texts[p-1])
	}
	if got := pdftest.PageTexts(t, path); !slices.Equal(got, want) {
		t.Errorf("pages of %s:\n got %q\nwant %q", filepath.Base(path), got, want)
	}
}

// render renders page n of the PDF at path in grey at 36 dpi (half a pixel
// per point) and returns its pixels, rows from the top.
func render(t *testing.T, path string, n int) (pix []byte, width, height int) {
	t.Helper()
	bin := pdftest.NeedTool(t, "pdftoppm", "poppler-utils")
	prefix := filepath.Join(t.TempDir(), "page")
	arg := fmt.Sprint(n)
	if out, err := exec.Command(bin, "-gray", "-r", "36", "-f", arg, "-l", arg, "-singlefile", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	data, err := os.ReadFile(prefix + ".pgm")
	if err != nil {
		t.Fatal(err)
	}
	// the header: "P5", width, height, maximum value, each followed by
	// one white space character
	header, fields := 0, []string{}
	for len(fields) < 4 && header < len(data) {
		start := header
		for header < len(data) && data[header] > ' ' {
			header++
		}
		fields = append(fields, string(data[start:header]))
		header++
	}
	if len(fields) != 4 || fields[0] != "P5" {
		t.Fatalf("pgm header %q", fields)
	}
	fmt.Sscan(fields[1]+" "+fields[2], &width, &height)
	if len(data)-header != width*height {
		t.Fatalf("pgm: %d bytes of pixels for %dx%d", len(data)-header, width, height)
	}
	return data[header:], width, height
}

// dark reports whether the pixel at (x, y) points from the bottom left of
// an A4 page rendered by render is dark.
func dark(pix []byte, width, height int, x, y float64) bool {
	px, py := int(x/2), height-1-int(y/2)
	return pix[py*width+px] < 128
}

// sizeOf returns the size of the file at path.
func sizeOf(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// countIn counts the occurrences of s in the file at path.
func countIn(t *testing.T, path, s string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(data, []byte(s))
}

// qpdfJSONKey decodes qpdf's JSON (version 2) view of the file under key
// into v.
func qpdfJSONKey(t *testing.T, path, key string, v any) {
	t.Helper()
	bin := pdftest.NeedTool(t, "qpdf", "qpdf")
	out, err := exec.Command(bin, "--json=2", "--json-key="+key, path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
}
