package pdf

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// qpdfContents returns, as qpdf reads the file, the content stream
// objects of every page and every stream's dictionary and data: decoded
// when decode is set, else as stored.
func qpdfContents(t *testing.T, path string, decode bool) (pages [][]string, dicts map[string]map[string]any, data map[string][]byte) {
	t.Helper()
	bin := pdftest.NeedTool(t, "qpdf", "qpdf")
	level := map[bool]string{false: "none", true: "generalized"}[decode]
	out, err := exec.Command(bin, "--json=2", "--json-key=pages", "--json-key=qpdf", "--json-stream-data=inline",
		"--decode-level="+level, path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var doc struct {
		Pages []struct {
			Contents []string `json:"contents"`
		} `json:"pages"`
		QPDF []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.QPDF) != 2 {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var objs map[string]struct {
		Stream *struct {
			Dict map[string]any `json:"dict"`
			Data string         `json:"data"`
		} `json:"stream"`
	}
	if err := json.Unmarshal(doc.QPDF[1], &objs); err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	for _, p := range doc.Pages {
		pages = append(pages, p.Contents)
	}
	dicts, data = map[string]map[string]any{}, map[string][]byte{}
	for key, o := range objs {
		if o.Stream == nil {
			continue
		}
		num := strings.TrimPrefix(key, "obj:")
		dicts[num] = o.Stream.Dict
		if data[num], err = base64.StdEncoding.DecodeString(o.Stream.Data); err != nil {
			t.Fatal(err)
		}
	}
	return pages, dicts, data
}

// TestPageHookContentCompressedShared: the hook's content is written
// Flate-compressed, once per distinct content: pages drawing the same
// marks share one stream; a reader decodes each page's marks as given.
func TestPageHookContentCompressedShared(t *testing.T) {
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{3, 3}, Balanced: true}))
	if err != nil {
		t.Fatal(err)
	}
	ladder := strings.Repeat(barAt(20, 400), 12) // the same on pages 1, 3, 5
	content := func(i int) string {
		if i%2 == 0 {
			return ladder
		}
		return ladder + fmt.Sprintf("0 g %d 300 6 6 re f\n", 100+20*i) // its own on 2, 4, 6
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	spec := OutputSpec{Path: out, Pages: []int{1, 2, 3, 4, 5, 6}, Forms: []Form{bar},
		Hook: func(i, page int) ([]byte, error) { return []byte(content(i)), nil }}
	if err := d.WriteOutputs([]OutputSpec{spec}); err != nil {
		t.Fatal(err)
	}
	qpdf(t, "--check", out)
	pages, stored, _ := qpdfContents(t, out, false)
	_, _, decoded := qpdfContents(t, out, true)
	marks := map[string]bool{}
	for i, c := range pages {
		last := c[len(c)-1]
		if f := stored[last]["/Filter"]; f != "/FlateDecode" {
			t.Errorf("page %d: the marks' stream %s has filter %v, want /FlateDecode", i+1, last, f)
		}
		if got := string(decoded[last]); got != content(i) {
			t.Errorf("page %d: marks decode to %q, want %q", i+1, got, content(i))
		}
		marks[last] = true
	}
	if len(marks) != 4 {
		t.Errorf("%d marks streams for 4 distinct contents", len(marks))
	}
	for k := range 6 {
		if pix, w, h := render(t, out, k+1); !dark(pix, w, h, 25, 450) {
			t.Errorf("page %d: the bar is missing", k+1)
		}
	}
}
