package pdf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// fuzzSeeds returns PDF files, sound and broken, to start fuzzing from.
func fuzzSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	var buf bytes.Buffer
	for _, o := range []pdftest.Options{
		{Pieces: []int{2, 1}, Bookmarks: true},
		{Pieces: []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}, Bookmarks: true, Balanced: true},
		{Pieces: []int{2, 1, 1}, DPart: true, PageLabels: true, Logo: true, Inherit: true},
	} {
		buf.Reset()
		if err := pdftest.Write(&buf, o); err != nil {
			t.Fatal(err)
		}
		good := bytes.Clone(buf.Bytes())
		seeds = append(seeds, good,
			good[:len(good)/2],
			bytes.Replace(good, []byte("/Count"), []byte("/Cnt  "), 1),
			bytes.Replace(good, []byte("xref"), []byte("xxxx"), 1),
			bytes.Replace(good, []byte("/Kids ["), []byte("/Kids 1"), 1),
			bytes.Replace(good, []byte("/Dest ["), []byte("/Dest 9"), -1),
			bytes.Replace(good, []byte("/Start"), []byte("/End  "), 1),
			bytes.Replace(good, []byte("/Nums ["), []byte("/Nums 1"), 1),
			bytes.Replace(good, []byte("obj"), []byte("job"), 3))
	}
	for _, objs := range [][]string{
		rawDoc("/Outlines 9 0 R", outlineItems("/Title (a) /Dest [3 0 R /Fit] /Next 10 0 R")...),
		rawDoc("/Outlines 9 0 R /Names << /Dests 11 0 R >>", append(outlineItems("/Title (a) /Dest (x)"),
			"<< /Kids [12 0 R] >>", "<< /Kids [11 0 R] /Names [(x)] >>")...),
		{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"},
		{"<< /Type /Catalog /Pages 1 0 R >>"},
		{"[ /Catalog ]"},
	} {
		buf.Reset()
		if err := pdftest.WriteObjects(&buf, objs); err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, bytes.Clone(buf.Bytes()))
	}
	return append(seeds,
		nil,
		[]byte("%PDF-1.4\n%%EOF"),
		[]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
		[]byte("%PDF-"+strings.Repeat("[", 5000)+"\n%%EOF"),
		[]byte("%PDF-1.5\n1 0 obj << /Length 999999999 >> stream\nxx\nendstream endobj\n%%EOF"),
	)
}

// FuzzOpen opens arbitrary files, read and mapped: errors must wrap this
// package's sentinel errors, and nothing may panic out of it.
func FuzzOpen(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "in.pdf")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, mapFrom := range []int64{mapAbove, 0} {
			d, err := open(path, mapFrom) // read, then mapped as a large file is
			if err != nil {
				if !errors.Is(err, ErrNotPDF) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrDamaged) {
					t.Fatalf("Open: error %q wraps no sentinel", err)
				}
				continue
			}
			if _, err := d.Outline(); err != nil && !errors.Is(err, ErrOutline) && !errors.Is(err, ErrDamaged) {
				t.Fatalf("Outline: error %q wraps no sentinel", err)
			}
			if _, err := d.DParts(); err != nil && !errors.Is(err, ErrDPart) && !errors.Is(err, ErrDamaged) {
				t.Fatalf("DParts: error %q wraps no sentinel", err)
			}
			pages := []int{d.PageCount()}
			if d.PageCount() > 1 {
				pages = append(pages, 1)
			}
			if err := d.WritePages(filepath.Join(dir, "out.pdf"), pages); err != nil && !errors.Is(err, ErrDamaged) {
				t.Fatalf("WritePages: error %q wraps no sentinel", err)
			}
			err = d.WriteOutputs([]OutputSpec{{Path: filepath.Join(dir, "hook.pdf"), Pages: pages, Forms: []Form{bar},
				Hook: func(i, page int) ([]byte, error) { return []byte(barAt(0, 0)), nil }}})
			if err != nil && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrOutput) {
				t.Fatalf("WriteOutputs: error %q wraps no sentinel", err)
			}
		}
	})
}

// TestConcurrentUse opens, reads and writes documents from several
// goroutines at once; under the race detector it checks that no state is
// shared unguarded.
func TestConcurrentUse(t *testing.T) {
	o := pdftest.Options{Pieces: manyPieces(20), Bookmarks: true, Balanced: true, DPart: true, Logo: true}
	path := rewrite(t, writeRun(t, o), "--object-streams=generate") // the object stream cache is shared
	shared, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := wantOutline(o)
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own, err := Open(path)
			if err != nil {
				errs <- err
				return
			}
			for j, d := range []*Doc{own, shared} {
				entries, err := d.Outline()
				if err == nil && len(entries) != len(want) {
					err = errors.New("outline differs")
				}
				if err == nil {
					_, err = d.DParts()
				}
				if err == nil {
					name := filepath.Join(dir, string(rune('a'+2*i+j)))
					err = d.WriteOutputs([]OutputSpec{{Path: name + "1.pdf", Pages: []int{3, 2, 1}}, {Path: name + "2.pdf", Pages: []int{5, 4}}})
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
