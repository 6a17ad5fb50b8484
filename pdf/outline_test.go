package pdf

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
)

// wantOutline is the outline Write gives the run o.
func wantOutline(o pdftest.Options) []mailpiece.OutlineEntry {
	var want []mailpiece.OutlineEntry
	first := 1
	for i, n := range o.Pieces {
		title := fmt.Sprintf("Piece %d", i+1)
		if o.Title != nil {
			title = o.Title(i)
		}
		want = append(want, mailpiece.OutlineEntry{Title: title, Page: first})
		first += n
	}
	return want
}

func manyPieces(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = 1 + (i*7)%5
	}
	return p
}

func TestOutlineOfRuns(t *testing.T) {
	titled := func(i int) string { return fmt.Sprintf("Konto A%06d – Müller (Köln) €", i+1) }
	tests := []struct {
		name    string
		o       pdftest.Options
		rewrite []string // qpdf options to rewrite the file with
	}{
		{"flat", pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true}, nil},
		{"balanced", pdftest.Options{Pieces: manyPieces(120), Bookmarks: true, Balanced: true}, nil},
		{"unicode titles", pdftest.Options{Pieces: []int{1, 4, 2}, Bookmarks: true, Title: titled}, nil},
		{"qpdf object streams", pdftest.Options{Pieces: manyPieces(60), Bookmarks: true, Balanced: true},
			[]string{"--object-streams=generate"}},
		{"qpdf linearized", pdftest.Options{Pieces: manyPieces(30), Bookmarks: true, Title: titled},
			[]string{"--linearize"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeRun(t, tc.o)
			if tc.rewrite != nil {
				path = rewrite(t, path, tc.rewrite...)
			}
			d, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.Outline()
			if err != nil {
				t.Fatal(err)
			}
			if want := wantOutline(tc.o); !slices.Equal(got, want) {
				t.Errorf("outline:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestOutlineNone(t *testing.T) {
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{2, 2}}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Outline()
	if err != nil || len(got) != 0 {
		t.Fatalf("Outline() = %v, %v; want none", got, err)
	}
}

// outlineItems returns an /Outlines dictionary (object 9) and its items
// (objects 10 on), each given as its title and destination entries.
func outlineItems(items ...string) []string {
	objs := []string{fmt.Sprintf("<< /Type /Outlines /First 10 0 R /Last %d 0 R >>", 9+len(items))}
	for i, item := range items {
		links := ""
		if i+1 < len(items) {
			links = fmt.Sprintf(" /Next %d 0 R", 11+i)
		}
		objs = append(objs, fmt.Sprintf("<< /Parent 9 0 R %s%s >>", item, links))
	}
	return objs
}

func TestOutlineDestinations(t *testing.T) {
	tests := []struct {
		name    string
		catalog string   // extra catalog entries
		objs    []string // objects 9 on: outline, items, then others
	}{
		{"explicit, action, dict, index", "/Outlines 9 0 R", outlineItems(
			"/Title (one) /Dest [3 0 R /XYZ 0 200 0]",
			"/Title <FEFF00FC> /A << /S /GoTo /D [4 0 R /Fit] >>",
			"/Title (three) /A 15 0 R",
			"/Title (four) /Dest << /D [5 0 R /Fit] >>",
			"/Title (five) /Dest [2 /Fit]",
		)},
		{"named: /Dests dictionary", "/Outlines 9 0 R /Dests << /first [3 0 R /Fit] /second 13 0 R >>",
			append(outlineItems("/Title (a) /Dest /first", "/Title (b) /A << /S /GoTo /D /second >>", "/Title (c) /Dest (first)"),
				"<< /D [5 0 R /Fit] >>")},
		{"named: name tree", "/Outlines 9 0 R /Names << /Dests 14 0 R >>",
			append(outlineItems("/Title (a) /Dest (p1)", "/Title (b) /Dest <7032>", "/Title (c) /Dest /p3", "/Title (d) /A << /S /GoTo /D (p\\(4\\)) >>"),
				"<< /Kids [15 0 R 16 0 R] >>",
				"<< /Limits [(p1) (p2)] /Names [(p1) [3 0 R /Fit] (p2) 17 0 R] >>",
				"<< /Limits [(p3) (p\\(4\\))] /Names [(p3) << /D [5 0 R /Fit] >> <70283429> [2 /Fit]] >>",
				"[4 0 R /XYZ null null null]")},
	}
	want := map[string][]mailpiece.OutlineEntry{
		"explicit, action, dict, index": entries("one", 1, "ü", 2, "three", 1, "four", 3, "five", 3),
		"named: /Dests dictionary":      entries("a", 1, "b", 3, "c", 1),
		"named: name tree":              entries("a", 1, "b", 2, "c", 3, "d", 3),
	}
	tests[0].objs = append(tests[0].objs, "<< /S /GoTo /D [3 0 R /Fit] >>")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeRaw(t, rawDoc(tc.catalog, tc.objs...)...)
			qpdf(t, "--check", path) // the fixture itself is sound
			d, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.Outline()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want[tc.name]) {
				t.Errorf("outline:\n got %v\nwant %v", got, want[tc.name])
			}
		})
	}
}

// entries makes outline entries of title, page pairs.
func entries(pairs ...any) []mailpiece.OutlineEntry {
	var es []mailpiece.OutlineEntry
	for i := 0; i+1 < len(pairs); i += 2 {
		es = append(es, mailpiece.OutlineEntry{Title: pairs[i].(string), Page: pairs[i+1].(int)})
	}
	return es
}

func TestOutlineErrors(t *testing.T) {
	tests := []struct {
		name    string
		catalog string
		objs    []string
		wantErr error
		wantMsg string
	}{
		{"loop", "/Outlines 9 0 R", outlineItems("/Title (a) /Dest [3 0 R /Fit]", "/Title (b) /Dest [4 0 R /Fit]",
			"/Title (c) /Dest [5 0 R /Fit] /Next 10 0 R"), ErrDamaged, "bookmark 4 leads back to bookmark 1"},
		{"self loop", "/Outlines 9 0 R", outlineItems("/Title (a) /Dest [3 0 R /Fit] /Next 10 0 R"),
			ErrDamaged, "bookmark 2 leads back to bookmark 1"},
		{"not a page", "/Outlines 9 0 R", outlineItems("/Title (a) /Dest [3 0 R /Fit]", "/Title (b) /Dest [2 0 R /Fit]"),
			ErrOutline, `bookmark 2 "b": pdf: bookmark does not lead to a page: it points at object 2, which is not a page`},
		{"index out of range", "/Outlines 9 0 R", outlineItems("/Title (a) /Dest [3 /Fit]"),
			ErrOutline, "page index 3 of 3 pages"},
		{"undefined name", "/Outlines 9 0 R /Dests << /x [3 0 R /Fit] >>", outlineItems("/Title (a) /Dest /y"),
			ErrOutline, `named destination "y" is not defined`},
		{"undefined string, no name tree", "/Outlines 9 0 R", outlineItems("/Title (a) /Dest (y)"),
			ErrOutline, `named destination "y" is not defined`},
		{"uri action", "/Outlines 9 0 R", outlineItems("/Title (a) /A << /S /URI /URI (https://example.com) >>"),
			ErrOutline, "not a GoTo"},
		{"no destination", "/Outlines 9 0 R", outlineItems("/Title (a)"), ErrOutline, "no destination"},
		{"empty destination", "/Outlines 9 0 R", outlineItems("/Title (a) /Dest []"), ErrOutline, "empty"},
		{"named loop", "/Outlines 9 0 R /Dests << /x << /D /y >> /y << /D /x >> >>", outlineItems("/Title (a) /Dest /x"),
			ErrOutline, "too deeply"},
		{"name tree loop", "/Outlines 9 0 R /Names << /Dests 11 0 R >>",
			append(outlineItems("/Title (a) /Dest (x)"), "<< /Kids [12 0 R] >>", "<< /Kids [11 0 R] >>"),
			ErrDamaged, "object 11 appears twice"},
		{"item not a dictionary", "/Outlines 9 0 R", append(outlineItems("/Title (a) /Dest [3 0 R /Fit] /Next 11 0 R"), "[1 2 3]"),
			ErrDamaged, "bookmark 2 is not a dictionary"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(writeRaw(t, rawDoc(tc.catalog, tc.objs...)...))
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.Outline()
			if err == nil {
				t.Fatalf("no error; outline %v", got)
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q, want %q saying %q", err, tc.wantErr, tc.wantMsg)
			}
		})
	}
}
