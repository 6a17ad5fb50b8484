package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// imagePages returns the objects of a document of n pages that each draw
// an image of size bytes of their own, unfiltered, after their page and
// content: large streams, as in a composed run with images.
func imagePages(n, size int) []string {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	var kids []string
	for p := range n {
		page, content, image := 3+3*p, 4+3*p, 5+3*p
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
		data := bytes.Repeat([]byte{byte('a' + p%26)}, size)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Contents %d 0 R /Resources << /XObject << /Im1 %d 0 R >> >> >>", content, image),
			pdftest.Stream(fmt.Sprintf("q 100 0 0 100 0 0 cm /Im1 Do Q %% page %d", p+1)),
			fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream", size, size, data))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 200 200] >>", strings.Join(kids, " "), n)
	return objs
}

// TestMappedMatchesRead opens documents both ways, read into memory and
// mapped (as Open does with a large file), and checks that everything
// read from them and every output written is the same, byte for byte.
func TestMappedMatchesRead(t *testing.T) {
	big := writeRaw(t, imagePages(3, 3*copyAbove)...)
	run := writeRun(t, pdftest.Options{Pieces: manyPieces(12), Bookmarks: true, Balanced: true, DPart: true, Logo: true, PageLabels: true, Inherit: true})
	docs := map[string]string{
		"images":         big,
		"run":            run,
		"object streams": rewrite(t, run, "--object-streams=generate"),
		"images, qpdf":   rewrite(t, big, "--object-streams=generate"),
	}
	for name, path := range docs {
		t.Run(name, func(t *testing.T) {
			read, err := open(path, mapAbove)
			if err != nil {
				t.Fatal(err)
			}
			mapped, err := open(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer mapped.Close()
			if read.mapped != nil || mapped.mapped == nil {
				t.Fatalf("read mapped: %v, mapped mapped: %v", read.mapped != nil, mapped.mapped != nil)
			}
			if read.PageCount() != mapped.PageCount() {
				t.Fatalf("page counts %d and %d", read.PageCount(), mapped.PageCount())
			}
			o1, err1 := read.Outline()
			o2, err2 := mapped.Outline()
			if !reflect.DeepEqual(o1, o2) || (err1 == nil) != (err2 == nil) {
				t.Errorf("outlines differ: %v (%v) and %v (%v)", o1, err1, o2, err2)
			}
			r1, err1 := read.DParts()
			r2, err2 := mapped.DParts()
			if !reflect.DeepEqual(r1, r2) || (err1 == nil) != (err2 == nil) {
				t.Errorf("records differ: %v (%v) and %v (%v)", r1, err1, r2, err2)
			}
			n := read.PageCount()
			reversed := make([]int, n)
			for i := range reversed {
				reversed[i] = n - i
			}
			all := make([]int, n)
			for i := range all {
				all[i] = i + 1
			}
			specs := func(dir string) []OutputSpec {
				return []OutputSpec{
					{Path: filepath.Join(dir, "reversed.pdf"), Pages: reversed},
					{Path: filepath.Join(dir, "twice.pdf"), Pages: []int{n, 1, n, Blank(1)}, Forms: []Form{bar},
						Hook: func(i, page int) ([]byte, error) { return []byte(barAt(i, 0)), nil }},
				}
			}
			dir := t.TempDir() // the same paths for both: they are in the file ID
			var got [2]map[string][]byte
			for i, d := range []*Doc{read, mapped} {
				got[i] = map[string][]byte{}
				if err := d.WriteOutputs(specs(dir)); err != nil {
					t.Fatal(err)
				}
				if err := d.WritePages(filepath.Join(dir, "all.pdf"), all); err != nil {
					t.Fatal(err)
				}
				for _, f := range []string{"reversed.pdf", "twice.pdf", "all.pdf"} {
					if got[i][f], err = os.ReadFile(filepath.Join(dir, f)); err != nil {
						t.Fatal(err)
					}
				}
				if err := d.WriteEach(specs(dir), func(k int, data []byte) error {
					got[i][fmt.Sprint("each", k)] = data
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			if len(got[0]) != 5 {
				t.Fatalf("%d outputs", len(got[0]))
			}
			for f, a := range got[0] {
				if b := got[1][f]; !bytes.Equal(a, b) {
					t.Errorf("%s: read and mapped differ (%d and %d bytes)", f, len(a), len(b))
				}
			}
			qpdf(t, "--check", filepath.Join(dir, "reversed.pdf"))
		})
	}
}

// TestMappedCutShort cuts a mapped file short after Open: writing fails
// with an error wrapping ErrDamaged, whether the missing bytes are a
// stream copied from the file or objects parsed from the mapping, and
// nothing crashes.
func TestMappedCutShort(t *testing.T) {
	for _, keep := range []float64{0.9, 0.1} {
		t.Run(fmt.Sprint(keep), func(t *testing.T) {
			path := writeRaw(t, imagePages(4, 4*copyAbove)...)
			d, err := open(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, int64(float64(st.Size())*keep)); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out.pdf")
			err = d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{4, 3, 2, 1}}})
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("WriteOutputs of a file cut short: %v, want an error wrapping ErrDamaged", err)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the output exists after a failure (%v)", err)
			}
			t.Log(err)
		})
	}
}

// TestMappedClose checks that Close releases a mapped document once, and
// that a document read into memory needs none.
func TestMappedClose(t *testing.T) {
	path := writeRaw(t, imagePages(1, copyAbove)...)
	d, err := open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.mapped != nil {
		t.Fatal("a small file was mapped")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}
