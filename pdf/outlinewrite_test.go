package pdf

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// outlinedDoc is six pages with a two-level outline: titles in UTF-16,
// with escapes and in PDFDocEncoding; destinations explicit, named and
// through GoTo actions; an entry closed, and a section entry that leads to
// no page.
func outlinedDoc(t *testing.T) string {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Outlines 15 0 R /Dests << /a3 [5 0 R /XYZ 10 190 0] >> >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R 6 0 R 7 0 R 8 0 R] /Count 6 /MediaBox [0 0 200 200] >>",
	}
	for i := range 6 {
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>", 9+i))
	}
	for i := range 6 {
		objs = append(objs, pdftest.Stream(fmt.Sprintf("BT /F1 12 Tf 10 100 Td (page %d) Tj ET", i+1)))
	}
	return writeRaw(t, append(objs,
		"<< /Type /Outlines /First 16 0 R /Last 21 0 R /Count 3 >>",
		"<< /Title <FEFF005000690065006300650020004100DC> /Parent 15 0 R /Next 19 0 R /First 17 0 R /Last 18 0 R /Count 2 /Dest [3 0 R /Fit] >>",
		`<< /Title (A \(p.2\)) /Parent 16 0 R /Next 18 0 R /Dest [4 0 R /XYZ 0 192 0] >>`,
		`<< /Title (A p.3 \374) /Parent 16 0 R /Prev 17 0 R /Dest /a3 >>`,
		"<< /Title (Piece B) /Parent 15 0 R /Prev 16 0 R /Next 21 0 R /First 20 0 R /Last 20 0 R /Count -1 /Dest [6 0 R /Fit] /C [1 0 0] /F 2 >>",
		"<< /Title (B p.5) /Parent 19 0 R /A << /S /GoTo /D [7 0 R /FitH 100] >> >>",
		"<< /Title (Section) /Parent 15 0 R /Prev 19 0 R /First 22 0 R /Last 22 0 R /Count 1 /A << /S /URI /URI (http://example.com) >> >>",
		"<< /Title (C) /Parent 21 0 R /Dest [8 0 R /Fit] >>",
	)...)
}

// qpdfOutline is an outline entry as qpdf reads it.
type qpdfOutline struct {
	Title string        `json:"title"`
	Page  int           `json:"destpageposfrom1"`
	Open  bool          `json:"open"`
	Dest  []any         `json:"dest"`
	Kids  []qpdfOutline `json:"kids"`
}

// readOutline is the outline of a file as qpdf reads it, one line per
// entry: indentation, title, page, and for entries with kids open or
// closed.
func readOutline(t *testing.T, path string) string {
	t.Helper()
	qpdf(t, "--check", path)
	bin := pdftest.NeedTool(t, "qpdf", "qpdf")
	out, err := exec.Command(bin, "--json=2", "--json-key=outlines", path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var doc struct {
		Outlines []qpdfOutline `json:"outlines"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func([]qpdfOutline, string)
	walk = func(items []qpdfOutline, indent string) {
		for _, it := range items {
			fmt.Fprintf(&b, "%s%s -> %d", indent, it.Title, it.Page)
			if len(it.Kids) > 0 {
				fmt.Fprintf(&b, " open=%v", it.Open)
			}
			if len(it.Dest) > 1 {
				fmt.Fprintf(&b, " %v", it.Dest[1:])
			}
			b.WriteString("\n")
			walk(it.Kids, indent+"  ")
		}
	}
	walk(doc.Outlines, "")
	return b.String()
}

// TestOutputOutline writes outputs of an outlined document and reads
// their outlines with qpdf: the entries of the pages in each, every
// level, at the pages' new positions, in output order, with their views,
// open or closed as they were; titles byte for byte as stored.
func TestOutputOutline(t *testing.T) {
	d, err := Open(outlinedDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := []struct {
		pages []int
		want  string
	}{
		{[]int{4, 5, 1, 2, 3}, "Piece B -> 1 open=false [/Fit]\n  B p.5 -> 2 [/FitH 100]\nPiece AÜ -> 3 open=true [/Fit]\n  A (p.2) -> 4 [/XYZ 0 192 0]\n  A p.3 ü -> 5 [/XYZ 10 190 0]\n"},
		{[]int{6}, "C -> 1 [/Fit]\n"},                                    // its section leads nowhere: it takes its place
		{[]int{2, 6, 2}, "A (p.2) -> 1 [/XYZ 0 192 0]\nC -> 2 [/Fit]\n"}, // a page twice: its first copy
		{[]int{Blank(1)}, ""},
	}
	var specs []OutputSpec
	for i, c := range cases {
		specs = append(specs, OutputSpec{Path: filepath.Join(dir, fmt.Sprintf("out%d.pdf", i)), Pages: c.pages})
	}
	if err := d.WriteOutputs(specs); err != nil {
		t.Fatal(err)
	}
	in := map[string]str{}
	var collect func([]outlineNode)
	collect = func(nodes []outlineNode) {
		for _, n := range nodes {
			in[string(n.title)] = n.title
			collect(n.kids)
		}
	}
	collect(d.outlineTree())
	for i, c := range cases {
		if got := readOutline(t, specs[i].Path); got != c.want {
			t.Errorf("output %d (pages %v): outline\n%s\nwant\n%s", i, c.pages, got, c.want)
		}
		out, err := Open(specs[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		var check func([]outlineNode)
		check = func(nodes []outlineNode) {
			for _, n := range nodes {
				if _, ok := in[string(n.title)]; !ok {
					t.Errorf("output %d: title % X is not one of the input's as stored", i, n.title)
				}
				check(n.kids)
			}
		}
		check(out.outlineTree())
	}
}
