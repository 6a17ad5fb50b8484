package pdftest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func pieces(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = 1 + i%4
	}
	return p
}

var cases = []struct {
	name string
	o    Options
}{
	{"single page", Options{Pieces: []int{1}}},
	{"flat", Options{Pieces: []int{2, 1, 3}}},
	{"flat bookmarks", Options{Pieces: []int{2, 1, 3}, Bookmarks: true}},
	{"balanced bookmarks", Options{Pieces: pieces(50), Bookmarks: true, Balanced: true,
		Title: func(i int) string { return fmt.Sprintf("Müller (%d) \\ Ærø €", i) }}},
	{"balanced exact", Options{Pieces: []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, Balanced: true}},
	{"everything flat", Options{Pieces: pieces(13), Bookmarks: true, Logo: true, DPart: true, PageLabels: true}},
	{"everything balanced, inherited", Options{Pieces: pieces(31), Bookmarks: true, Balanced: true,
		Logo: true, Inherit: true, DPart: true, PageLabels: true}},
}

// qpdfCheck fails the test unless qpdf --check finds the file clean.
func qpdfCheck(t *testing.T, path string) {
	t.Helper()
	bin := NeedTool(t, "qpdf", "qpdf")
	out, err := exec.Command(bin, "--check", path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
		t.Fatalf("qpdf --check %s: %v\n%s", path, err, out)
	}
}

func pdfinfoPages(t *testing.T, path string) int {
	t.Helper()
	bin := NeedTool(t, "pdfinfo", "poppler-utils")
	out, err := exec.Command(bin, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v\n%s", path, err, out)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count in\n%s", path, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// qpdfJSON returns qpdf's JSON (version 2) view of the file under key.
func qpdfJSON(t *testing.T, path, key string, v any) {
	t.Helper()
	bin := NeedTool(t, "qpdf", "qpdf")
	out, err := exec.Command(bin, "--json=2", "--json-key="+key, path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
}

type qpdfOutline struct {
	Title string `json:"title"`
	Page  int    `json:"destpageposfrom1"`
}

func TestWrite(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.pdf")
			if err := WriteFile(path, tc.o); err != nil {
				t.Fatal(err)
			}
			qpdfCheck(t, path)
			if got, want := pdfinfoPages(t, path), tc.o.PageCount(); got != want {
				t.Errorf("pdfinfo: %d pages, want %d", got, want)
			}
			if got, want := PageTexts(t, path), ExpectedTexts(tc.o); !slices.Equal(got, want) {
				t.Errorf("page texts:\n got %q\nwant %q", got, want)
			}
			checkOutline(t, path, tc.o)
		})
	}
}

func checkOutline(t *testing.T, path string, o Options) {
	t.Helper()
	var doc struct {
		Outlines []qpdfOutline `json:"outlines"`
	}
	qpdfJSON(t, path, "outlines", &doc)
	var want []qpdfOutline
	if o.Bookmarks {
		first := 1
		for i, n := range o.Pieces {
			want = append(want, qpdfOutline{o.title(i), first})
			first += n
		}
	}
	if !slices.Equal(doc.Outlines, want) {
		t.Errorf("outline:\n got %v\nwant %v", doc.Outlines, want)
	}
}

// pagesNodes returns the /Kids lengths of every /Pages node, as qpdf sees them.
func pagesNodes(t *testing.T, path string) []int {
	t.Helper()
	var doc struct {
		QPDF []json.RawMessage `json:"qpdf"` // a header, then the objects
	}
	qpdfJSON(t, path, "qpdf", &doc)
	var objs map[string]struct {
		Value map[string]any `json:"value"`
	}
	if len(doc.QPDF) != 2 {
		t.Fatalf("qpdf json: %d parts, want 2", len(doc.QPDF))
	}
	if err := json.Unmarshal(doc.QPDF[1], &objs); err != nil {
		t.Fatalf("qpdf json objects: %v", err)
	}
	var kids []int
	for _, obj := range objs {
		if obj.Value["/Type"] == "/Pages" {
			k, _ := obj.Value["/Kids"].([]any)
			kids = append(kids, len(k))
		}
	}
	return kids
}

func TestPageTreeShape(t *testing.T) {
	tests := []struct {
		name     string
		o        Options
		maxKids  int
		minNodes int
	}{
		{"flat", Options{Pieces: pieces(50)}, 123, 1},
		{"balanced", Options{Pieces: pieces(50), Balanced: true}, 10, 13 + 2 + 1}, // 123 pages,
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.pdf")
			if err := WriteFile(path, tc.o); err != nil {
				t.Fatal(err)
			}
			kids := pagesNodes(t, path)
			if len(kids) < tc.minNodes || slices.Max(kids) != tc.maxKids {
				t.Errorf("kids per node %v: want at least %d nodes, at most %d kids",
					kids, tc.minNodes, tc.maxKids)
			}
		})
	}
}

func TestWriteObjects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "raw.pdf")
	var buf bytes.Buffer
	err := WriteObjects(&buf, []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R " +
			"/Resources << /Font << /F1 5 0 R >> >> >>",
		Stream("BT /F1 12 Tf 10 100 Td " + Text("raw (page)") + " Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	})
	if err != nil {
		t.Fatal(err)
	}
	writeBytes(t, path, buf.Bytes())
	qpdfCheck(t, path)
	if got := PageTexts(t, path); !slices.Equal(got, []string{"raw (page)"}) {
		t.Errorf("text %q", got)
	}
}

func TestWriteErrors(t *testing.T) {
	for _, o := range []Options{{}, {Pieces: []int{1, 0}}, {Pieces: []int{-3}}} {
		var buf bytes.Buffer
		if err := Write(&buf, o); !errors.Is(err, ErrOptions) {
			t.Errorf("Write(%v) = %v, want ErrOptions", o.Pieces, err)
		}
	}
}

func TestSidecar(t *testing.T) {
	o := Options{Pieces: []int{2, 1, 3}}
	var doc struct {
		Pieces []SidecarPiece `json:"pieces"`
	}
	if err := json.Unmarshal(Sidecar(o), &doc); err != nil {
		t.Fatal(err)
	}
	want := []struct{ first, pages int }{{1, 2}, {3, 1}, {4, 3}}
	if len(doc.Pieces) != len(want) {
		t.Fatalf("%d pieces, want %d", len(doc.Pieces), len(want))
	}
	for i, p := range doc.Pieces {
		if p.FirstPage != want[i].first || p.Pages != want[i].pages {
			t.Errorf("piece %d: first %d pages %d, want %v", i+1, p.FirstPage, p.Pages, want[i])
		}
		if p.Meta["account"] != Account(i) || len(p.Meta["postal_code"]) != 5 {
			t.Errorf("piece %d: meta %v", i+1, p.Meta)
		}
	}
	if doc.Pieces[0].Meta["account"] != "A000001" || doc.Pieces[0].Meta["postal_code"] == doc.Pieces[1].Meta["postal_code"] {
		t.Errorf("meta %v %v", doc.Pieces[0].Meta, doc.Pieces[1].Meta)
	}
}

func TestText(t *testing.T) {
	tests := map[string]string{
		"plain":   "(plain)",
		`a(b)\c`:  `(a\(b\)\\c)`,
		"é":       "<FEFF00E9>",
		"\x01":    "<FEFF0001>",
		"€ €":     "<FEFF20AC002020AC>",
		"":        "()",
		"tab\tok": "<FEFF0074006100620009006F006B>",
	}
	for in, want := range tests {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %s, want %s", in, got, want)
		}
	}
	if !strings.HasPrefix(Stream("abc"), "<< /Length 3 >>") {
		t.Errorf("Stream: %q", Stream("abc"))
	}
}

func writeBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
