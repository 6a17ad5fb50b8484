package pdf

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

func TestDPartsOfRuns(t *testing.T) {
	for _, balanced := range []bool{false, true} {
		for _, objstms := range []bool{false, true} {
			t.Run(fmt.Sprintf("balanced %v object streams %v", balanced, objstms), func(t *testing.T) {
				o := pdftest.Options{Pieces: manyPieces(37), DPart: true, Balanced: balanced}
				path := writeRun(t, o)
				if objstms {
					path = rewrite(t, path, "--object-streams=generate")
				}
				d, err := Open(path)
				if err != nil {
					t.Fatal(err)
				}
				got, err := d.DParts()
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(o.Pieces) {
					t.Fatalf("%d records, want %d", len(got), len(o.Pieces))
				}
				for i, pages := range piecePages(o) {
					want := map[string]string{"account": pdftest.Account(i), "postal_code": pdftest.PostalCode(i)}
					if balanced {
						want["group"] = fmt.Sprintf("G%d", i/10+1)
					}
					r := got[i]
					if r.FirstPage != pages[0] || r.LastPage != pages[len(pages)-1] || !maps.Equal(r.Meta, want) {
						t.Errorf("record %d: %+v, want pages %d-%d meta %v", i+1, r, pages[0], pages[len(pages)-1], want)
					}
				}
			})
		}
	}
}

func TestDPartsNone(t *testing.T) {
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{1, 2}, Bookmarks: true}))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := d.DParts(); err != nil || got != nil {
		t.Errorf("DParts() = %v, %v; want none", got, err)
	}
}

// dpartDoc returns a three-page document (pages 3, 4, 5) whose catalog
// names a document part root (object 9) with the given entries, and the
// given nodes from object 10 on.
func dpartDoc(rootEntries string, nodes ...string) []string {
	return rawDoc("/DPartRoot 9 0 R", append([]string{"<< /Type /DPartRoot " + rootEntries + " >>"}, nodes...)...)
}

func TestDParts(t *testing.T) {
	tests := []struct {
		name string
		objs []string
		want string // records as first-last meta, separated by "; "
	}{
		{"leaves without record level", dpartDoc("/DPartRootNode 10 0 R",
			"<< /Type /DPart /DParts [[11 0 R] [12 0 R]] /DPM << /job (J1) >> >>",
			"<< /Type /DPart /Parent 10 0 R /Start 3 0 R /End 4 0 R /DPM << /name <FEFF00DC> /n 7 /ok true /z /Name >> >>",
			"<< /Type /DPart /Parent 10 0 R /Start 5 0 R >>"),
			"1-2 map[job:J1 n:7 name:Ü ok:true z:Name]; 3-3 map[job:J1]"},
		{"record level above the leaves", dpartDoc("/DPartRootNode 10 0 R /RecordLevel 1",
			"<< /Type /DPart /DParts [[11 0 R 12 0 R]] >>",
			"<< /Type /DPart /Parent 10 0 R /DParts [[13 0 R 14 0 R]] /DPM << /a (1) >> >>",
			"<< /Type /DPart /Parent 10 0 R /DParts [[15 0 R]] /DPM << /a (2) >> >>",
			"<< /Type /DPart /Parent 11 0 R /Start 3 0 R /DPM << /sub (x) >> >>",
			"<< /Type /DPart /Parent 11 0 R /Start 4 0 R >>",
			"<< /Type /DPart /Parent 12 0 R /Start 5 0 R >>"),
			"1-2 map[a:1]; 3-3 map[a:2]"},
		{"nested metadata, direct nodes", dpartDoc("/DPartRootNode << /DParts [[<< /Start 3 0 R /End 5 0 R " +
			"/DPM << /CIP4_Root << /CIP4_Recipient << /Zip (12345) /Tags [(a) /b 3] >> >> >> >>]] >>"),
			"1-3 map[CIP4_Root.CIP4_Recipient.Tags:a,b,3 CIP4_Root.CIP4_Recipient.Zip:12345]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeRaw(t, tc.objs...)
			qpdf(t, "--check", path)
			d, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			records, err := d.DParts()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range records {
				got = append(got, fmt.Sprintf("%d-%d %v", r.FirstPage, r.LastPage, r.Meta))
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("records\n got %s\nwant %s", strings.Join(got, "; "), tc.want)
			}
		})
	}
}

func TestDPartsErrors(t *testing.T) {
	leaf := func(parent int, entries string) string {
		return fmt.Sprintf("<< /Type /DPart /Parent %d 0 R %s >>", parent, entries)
	}
	tests := []struct {
		name    string
		objs    []string
		wantErr error
		wantMsg string
	}{
		{"start at a missing object", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R]] >>", leaf(10, "/Start 99 0 R")),
			ErrDPart, "node 11 (level 1): /Start points at object 99, which is not a page of the document"},
		{"end at the catalog", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R]] >>", leaf(10, "/Start 3 0 R /End 1 0 R")),
			ErrDPart, "/End points at object 1, which is not a page"},
		{"start not a reference", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R]] >>", leaf(10, "/Start 1")),
			ErrDPart, "/Start is a number, not a reference to a page"},
		{"end before start", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R]] >>", leaf(10, "/Start 5 0 R /End 4 0 R")),
			ErrDPart, "ends at page 2, before its start at page 3"},
		{"out of order", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R 12 0 R]] >>",
			leaf(10, "/Start 4 0 R"), leaf(10, "/Start 3 0 R")),
			ErrDPart, "record 2 starts at page 1, not after page 2 where record 1 ends"},
		{"parts of a record overlap", dpartDoc("/DPartRootNode 10 0 R /RecordLevel 1", "<< /DParts [[11 0 R]] >>",
			"<< /DParts [[12 0 R 13 0 R]] >>", leaf(11, "/Start 3 0 R /End 4 0 R"), leaf(11, "/Start 4 0 R")),
			ErrDPart, "starts at page 2, not after page 2"},
		{"loop", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R]] >>", "<< /DParts [[10 0 R]] >>"),
			ErrDamaged, "node 10 (level 2) appears twice: the tree loops"},
		{"leaf above the record level", dpartDoc("/DPartRootNode 10 0 R /RecordLevel 2", "<< /DParts [[11 0 R]] >>",
			leaf(10, "/Start 3 0 R")),
			ErrDPart, "has pages but is above the record level 2"},
		{"record without pages", dpartDoc("/DPartRootNode 10 0 R /RecordLevel 1", "<< /DParts [[11 0 R]] >>",
			"<< /DParts [[]] >>"),
			ErrDPart, "record 1 has no pages"},
		{"node without pages or kids", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R]] >>", "<< /DPM << >> >>"),
			ErrDPart, "node 11 (level 1) has neither /Start nor /DParts"},
		{"no root node", dpartDoc(""), ErrDPart, "no /DPartRootNode"},
		{"node not a dictionary", dpartDoc("/DPartRootNode 10 0 R", "<< /DParts [[11 0 R]] >>", "[1 2]"),
			ErrDamaged, "node 11 (level 1) is not a dictionary"},
		{"too deep", dpartDoc("/DPartRootNode 10 0 R", chain(70)...), ErrDPart, "more than 64 levels"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(writeRaw(t, tc.objs...))
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.DParts()
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("DParts() = %v, %v; want %q saying %q", got, err, tc.wantErr, tc.wantMsg)
			}
		})
	}
}

// chain returns n document part nodes from object 10 on, each the only kid
// of the one before, the last a leaf.
func chain(n int) []string {
	var nodes []string
	for i := range n - 1 {
		nodes = append(nodes, fmt.Sprintf("<< /DParts [[%d 0 R]] >>", 11+i))
	}
	return append(nodes, "<< /Start 3 0 R >>")
}
