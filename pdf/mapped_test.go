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

	"github.com/omsd/omsd/internal/mapfile"
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
	raw, err := os.ReadFile(writeRaw(t, imagePages(4, scanChunk/3)...))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(raw, []byte("xref"))
	copy(raw[i:], "xxxx") // rebuilt by scanning, across the scan's chunks
	run := writeRun(t, pdftest.Options{Pieces: manyPieces(12), Bookmarks: true, Balanced: true, DPart: true, Logo: true, PageLabels: true, Inherit: true})
	docs := map[string]string{
		"images":          big,
		"run":             run,
		"object streams":  rewrite(t, run, "--object-streams=generate"),
		"images, qpdf":    rewrite(t, big, "--object-streams=generate"),
		"images, rebuilt": writeBytes(t, "damaged.pdf", raw),
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
			if read.Repaired() != (name == "images, rebuilt") || mapped.Repaired() != read.Repaired() {
				t.Fatalf("repaired: read %v, mapped %v", read.Repaired(), mapped.Repaired())
			}
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

// TestScanChunks checks that the scans of a damaged file, which read it in
// chunks, find what a scan of the whole finds, also where a keyword
// straddles two chunks.
func TestScanChunks(t *testing.T) {
	data := bytes.Repeat([]byte{'.'}, 2*scanChunk+100)
	var want []int
	for _, at := range []int{0, 10, scanChunk - 9, scanChunk - 2, scanChunk + 6, 2*scanChunk - 1, 2*scanChunk + 90} {
		copy(data[at:], "trailer")
		want = append(want, at)
	}
	d := &Doc{data: data}
	if got := d.allIndexes("trailer"); !reflect.DeepEqual(got, want) {
		t.Errorf("allIndexes: %v, want %v", got, want)
	}
	for _, pos := range []int{0, 1, 11, scanChunk - 9, scanChunk - 8, scanChunk + 7, 2*scanChunk + 91, len(data)} {
		want := bytes.Index(data[pos:], []byte("trailer"))
		if want >= 0 {
			want += pos
		}
		if got := d.index(pos, "trailer"); got != want {
			t.Errorf("index(%d): %d, want %d", pos, got, want)
		}
	}
	for _, end := range []int{len(data), 2*scanChunk + 96, 2*scanChunk + 2, scanChunk + 5, scanChunk, 15, 3} {
		if got, want := d.lastIndex(end, "trailer"), bytes.LastIndex(data[:end], []byte("trailer")); got != want {
			t.Errorf("lastIndex(%d): %d, want %d", end, got, want)
		}
	}
}

// TestMappedResident writes every page of a mapped file of 72 MiB of
// images: the file's pages resident in the process afterwards stay within
// the budget (the kernel maps up to 2 MiB of the page cache for each
// object parsed; without the budget they would add up).
func TestMappedResident(t *testing.T) {
	raw, err := os.ReadFile(writeRaw(t, imagePages(24, 3<<20)...))
	if err != nil {
		t.Fatal(err)
	}
	path := writeBytes(t, "big.pdf", raw) // in one write: the page cache holds it in large folios
	raw = nil
	before := rssFile(t)
	d, err := open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	pages := make([]int, d.PageCount())
	for i := range pages {
		pages[i] = len(pages) - i
	}
	if err := d.WriteOutputs([]OutputSpec{{Path: filepath.Join(t.TempDir(), "out.pdf"), Pages: pages}}); err != nil {
		t.Fatal(err)
	}
	grown := rssFile(t) - before
	t.Logf("%d KiB of the file resident after writing it", grown>>10)
	if grown > mapfile.ResidentBudget+8<<20 {
		t.Errorf("%d MiB of the file resident after writing it, budget %d MiB", grown>>20, mapfile.ResidentBudget>>20)
	}
}

// rssFile is the process's resident memory that maps files, in bytes.
func rssFile(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "RssFile:" {
			var kb int64
			fmt.Sscan(f[1], &kb)
			return kb << 10
		}
	}
	t.Skip("no RssFile in /proc/self/status")
	return 0
}

// TestMappedProtected writes a protected output of a mapped file, whose
// large streams are encrypted as they are read: it opens with the
// password and its images decrypt to the input's.
func TestMappedProtected(t *testing.T) {
	path := writeRaw(t, imagePages(2, copyAbove+5)...)
	d, err := open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out := filepath.Join(t.TempDir(), "locked.pdf")
	if err := d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{2, 1}, Protect: &Protection{UserPassword: "pw"}}}); err != nil {
		t.Fatal(err)
	}
	qpdf(t, "--check", "--password=pw", out)
	plain := filepath.Join(t.TempDir(), "plain.pdf")
	qpdf(t, "--password=pw", "--decrypt", "--compress-streams=n", "--decode-level=none", out, plain)
	b, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []byte("ab") {
		if image := bytes.Repeat([]byte{c}, copyAbove+5); !bytes.Contains(b, image) {
			t.Errorf("the image of %q does not decrypt to the input's", c)
		}
	}
}
