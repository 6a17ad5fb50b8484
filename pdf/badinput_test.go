package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/pdftest"
)

// pageTreeDoc returns a document whose page tree is made of the given
// nodes (object 2 on, the root first) over n pages, each with its content.
func pageTreeDoc(n int, nodes ...string) []string {
	objs := append([]string{"<< /Type /Catalog /Pages 2 0 R >>"}, nodes...)
	first := len(objs) + 1 // the first page's object number
	for k := range n {
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Contents %d 0 R >>", first+n+k))
	}
	for k := range n {
		objs = append(objs, pdftest.Stream(fmt.Sprintf("BT /F1 12 Tf 20 100 Td (page %d) Tj ET", k+1)))
	}
	return objs
}

func refs(from, n int) string {
	var b strings.Builder
	for k := range n {
		fmt.Fprintf(&b, "%d 0 R ", from+k)
	}
	return b.String()
}

func TestPageTreeShapes(t *testing.T) {
	const deep, wide = 3000, 5000
	var chain []string // a node per level, the last holding the page
	for i := range deep {
		chain = append(chain, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", 3+i))
	}
	chain[0] = strings.Replace(chain[0], ">>", "/MediaBox [0 0 300 300] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>", 1)
	tests := []struct {
		name  string
		objs  []string
		pages int
	}{
		{"deep", pageTreeDoc(1, chain...), 1},
		{"wide", pageTreeDoc(wide, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 300 300] "+
			"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>", refs(3, wide), wide)), wide},
		{"kids through a reference, no /Count, no types", pageTreeDoc(2,
			"<< /Kids 3 0 R /MediaBox [0 0 300 300] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
			"[4 0 R 5 0 R]")[:3], 0},
	}
	// the third: kids 4 and 5 are the pages; build them by hand
	tests[2].objs = append(tests[2].objs, "<< /Contents 6 0 R >>", "<< /Contents 7 0 R >>",
		pdftest.Stream("BT /F1 12 Tf 20 100 Td (page 1) Tj ET"), pdftest.Stream("BT /F1 12 Tf 20 100 Td (page 2) Tj ET"))
	tests[2].pages = 2
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(writeRaw(t, tc.objs...))
			if err != nil {
				t.Fatal(err)
			}
			if d.PageCount() != tc.pages {
				t.Fatalf("%d pages, want %d", d.PageCount(), tc.pages)
			}
			var texts []string
			for k := range tc.pages {
				texts = append(texts, fmt.Sprintf("page %d", k+1))
			}
			pages := []int{tc.pages, 1}
			out := filepath.Join(t.TempDir(), "out.pdf")
			if err := d.WritePages(out, pages); err != nil {
				t.Fatal(err)
			}
			checkOutput(t, out, texts, pages)
		})
	}
}

func TestPageTreeErrors(t *testing.T) {
	tests := []struct {
		name    string
		objs    []string
		wantMsg string
	}{
		{"kid is its own parent", pageTreeDoc(1, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >>"), "object 2 appears twice"},
		{"two nodes in a loop", pageTreeDoc(1, "<< /Type /Pages /Kids [3 0 R] >>", "<< /Type /Pages /Kids [4 0 R 2 0 R] >>"),
			"object 2 appears twice"},
		{"a page twice", pageTreeDoc(1, "<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>"), "object 3 appears twice"},
		{"missing kid", pageTreeDoc(1, "<< /Type /Pages /Kids [3 0 R 99 0 R] /Count 2 >>"), "object 99: it is missing"},
		{"kids not an array", pageTreeDoc(1, "<< /Type /Pages /Kids 7 /Count 1 >>"), "/Kids: a number, not an array"},
		{"kid not a reference", pageTreeDoc(1, "<< /Type /Pages /Kids [3 0 R 5] /Count 2 >>"), "kid 2 is not a reference"},
		{"no page tree", []string{"<< /Type /Catalog >>"}, "the catalog has no page tree"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(writeRaw(t, tc.objs...))
			if err == nil {
				t.Fatalf("no error; %d pages", d.PageCount())
			}
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q, want ErrDamaged saying %q", err, tc.wantMsg)
			}
		})
	}
}

// lie returns the bytes of a sound run, changed by f.
type lie func(t *testing.T, data []byte) []byte

func replaceOnce(old, new string) lie {
	return func(t *testing.T, data []byte) []byte {
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("%q not in the file", old)
		}
		return bytes.Replace(data, []byte(old), []byte(new), 1)
	}
}

func replaceRe(re, new string) lie {
	return func(t *testing.T, data []byte) []byte {
		r := regexp.MustCompile(re)
		if !r.Match(data) {
			t.Fatalf("%s not in the file", re)
		}
		return r.ReplaceAll(data, []byte(new))
	}
}

// xrefOffset returns where the file's last xref table starts.
func xrefOffset(data []byte) int { return bytes.LastIndex(data, []byte("xref\n0 ")) }

func TestXrefLies(t *testing.T) {
	o := pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true, Logo: true}
	tests := []struct {
		name     string
		lie      lie
		repaired bool
	}{
		{"every offset off by 5", replaceOnce("%PDF-1.4\n", "%PDF-1.4\n     "), true},
		{"startxref past the end", replaceRe(`startxref\n\d+`, "startxref\n99999999"), true},
		{"no xref keyword", replaceOnce("xref\n0 ", "xxxx\n0 "), true},
		{"subsection of a billion entries", replaceRe(`xref\n0 \d+`, "xref\n0 999999999"), true},
		{"prev leads to itself", func(t *testing.T, data []byte) []byte {
			return replaceOnce("/Root 1 0 R", fmt.Sprintf("/Root 1 0 R /Prev %d", xrefOffset(data)))(t, data)
		}, true},
		{"two entries swapped", func(t *testing.T, data []byte) []byte {
			x := xrefOffset(data) + len("xref\n0 N\n0000000000 65535 f \n") + 1 // object 1's entry, roughly
			x = bytes.Index(data[x:], []byte(" n \n")) + x + 4                  // object 2's entry
			data = bytes.Clone(data)
			e2, e3 := bytes.Clone(data[x:x+20]), bytes.Clone(data[x+20:x+40])
			copy(data[x:], e3)
			copy(data[x+20:], e2)
			return data
		}, true},
		{"stream lengths too long", replaceRe(`/Length (\d)\d >>`, "/Length 99 >>"), false},
		{"stream lengths too short", replaceRe(`/Length \d(\d) >>`, "/Length 0$1 >>"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			good, err := os.ReadFile(writeRun(t, o))
			if err != nil {
				t.Fatal(err)
			}
			path := writeBytes(t, "lie.pdf", tc.lie(t, good))
			d, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if d.PageCount() != o.PageCount() {
				t.Fatalf("%d pages, want %d", d.PageCount(), o.PageCount())
			}
			if d.Repaired() != tc.repaired {
				t.Errorf("Repaired() = %v, want %v", d.Repaired(), tc.repaired)
			}
			got, err := d.Outline()
			if err != nil || !slices.Equal(got, wantOutline(o)) {
				t.Errorf("outline %v, %v; want %v", got, err, wantOutline(o))
			}
			out := filepath.Join(t.TempDir(), "out.pdf")
			pages := []int{6, 1, 4}
			if err := d.WritePages(out, pages); err != nil {
				t.Fatal(err)
			}
			checkOutput(t, out, pdftest.ExpectedTexts(o), pages)
		})
	}
}

func TestXrefLiesBeyondRepair(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		wantMsg string
	}{
		{"no objects", "%PDF-1.4\nstartxref\n9\n%%EOF\n", "no objects found"},
		{"no catalog", "%PDF-1.4\n1 0 obj\n<< /Type /Pages /Kids [] >>\nendobj\nstartxref\n0\n%%EOF\n", "no catalog found"},
		{"stream without end", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
			"2 0 obj\n<< /Length 99 >>\nstream\nxx\nendobj\nstartxref\n0\n%%EOF\n", "page tree: object 2"},
		{"encrypted", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
			"trailer\n<< /Root 1 0 R /Encrypt << /Filter /Standard >> >>\nstartxref\n0\n%%EOF\n", "encrypted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(writeBytes(t, "bad.pdf", []byte(tc.data)))
			if err == nil {
				t.Fatalf("no error; %d pages", d.PageCount())
			}
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q, want ErrDamaged saying %q", err, tc.wantMsg)
			}
		})
	}
}

func TestIndirectLength(t *testing.T) {
	// FOP and others write /Length as a reference; one here points at a
	// missing object, so the stream's end must be found by its keyword.
	path := writeRaw(t,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 300 300] /Resources << /Font << /F1 7 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>",
		"<< /Length 8 0 R >>\nstream\nBT /F1 12 Tf 20 100 Td (one) Tj ET\nendstream",
		"<< /Length 99 0 R >>\nstream\nBT /F1 12 Tf 20 100 Td (two) Tj ET\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"34",
	)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	if err := d.WritePages(out, []int{2, 1}); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out, []string{"one", "two"}, []int{2, 1})
}

// TestRebuildStaysLinear scans files made of many broken objects: each
// stream lacks its end, each string its closing parenthesis. Scanning one
// candidate object must not read to the end of the file each time (which
// would take minutes here).
func TestRebuildStaysLinear(t *testing.T) {
	for _, broken := range []string{"<< /Length 99999 >>\nstream\nxx\n", "(unclosed\n", "[[[[\n", "<< /A <4142\n"} {
		var b bytes.Buffer
		b.WriteString("%PDF-1.4\n")
		for i := range 40000 {
			fmt.Fprintf(&b, "%d 0 obj\n%s", i+1, broken)
		}
		b.WriteString("%%EOF\n")
		start := time.Now()
		_, err := Open(writeBytes(t, "broken.pdf", b.Bytes()))
		t.Logf("%q: %v", broken, time.Since(start))
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "no objects found") {
			t.Errorf("%q: error %v, want ErrDamaged: no objects found", broken, err)
		}
	}
}

// TestBigObjectsParsedOnce checks that a big object shared by every page
// is kept once parsed.
func TestBigObjectsParsedOnce(t *testing.T) {
	fonts := strings.Repeat("/Fx << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> ", 100) // 6 KB
	d, err := Open(writeRaw(t,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 300 300] >>",
		"<< /Type /Page /Parent 2 0 R /Resources 5 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Resources 5 0 R >>",
		"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "+fonts+">> >>",
	))
	if err != nil {
		t.Fatal(err)
	}
	first, err := d.resolveDict(ref{5, 0})
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.resolveDict(ref{5, 0})
	if err != nil || &first[0] != &again[0] {
		t.Errorf("the shared resources were parsed twice")
	}
}
