package pdftest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// qpdfObjects returns every object of the file as qpdf's JSON shows it:
// "obj:N 0 R" -> {"value": ...} or {"stream": {"dict": ...}}.
func qpdfObjects(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	var doc struct {
		QPDF []json.RawMessage `json:"qpdf"`
	}
	qpdfJSON(t, path, "qpdf", &doc)
	if len(doc.QPDF) != 2 {
		t.Fatalf("qpdf json: %d parts, want 2", len(doc.QPDF))
	}
	var objs map[string]map[string]any
	if err := json.Unmarshal(doc.QPDF[1], &objs); err != nil {
		t.Fatalf("qpdf json objects: %v", err)
	}
	return objs
}

// dict returns an object's dictionary, of a plain object or a stream.
func dict(obj map[string]any) map[string]any {
	if s, ok := obj["stream"].(map[string]any); ok {
		d, _ := s["dict"].(map[string]any)
		return d
	}
	d, _ := obj["value"].(map[string]any)
	return d
}

func TestLogoShared(t *testing.T) {
	for _, inherit := range []bool{false, true} {
		t.Run(fmt.Sprint("inherit ", inherit), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.pdf")
			o := Options{Pieces: pieces(10), Logo: true, Inherit: inherit, Balanced: true}
			if err := WriteFile(path, o); err != nil {
				t.Fatal(err)
			}
			qpdfCheck(t, path)
			images, withXObject := 0, 0
			for _, obj := range qpdfObjects(t, path) {
				d := dict(obj)
				if d["/Subtype"] == "/Image" {
					images++
				}
				if res, ok := d["/Resources"].(map[string]any); ok && res["/XObject"] != nil {
					withXObject++
				}
			}
			wantHolders := o.PageCount()
			if inherit {
				wantHolders = 1 // the root node
			}
			if images != 1 || withXObject != wantHolders {
				t.Errorf("%d images, %d resource dictionaries naming it; want 1 and %d", images, withXObject, wantHolders)
			}
		})
	}
}

func TestPageLabels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.pdf")
	o := Options{Pieces: []int{2, 1, 3}, PageLabels: true}
	if err := WriteFile(path, o); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Labels []struct {
			Index int            `json:"index"`
			Label map[string]any `json:"label"`
		} `json:"pagelabels"`
	}
	qpdfJSON(t, path, "pagelabels", &doc)
	var got []string
	for _, l := range doc.Labels {
		got = append(got, fmt.Sprintf("%d %v %v", l.Index, l.Label["/S"], l.Label["/P"]))
	}
	want := []string{"0 /D u:A000001 p.", "2 /D u:A000002 p.", "3 /D u:A000003 p."}
	if !slices.Equal(got, want) {
		t.Errorf("page labels %q, want %q", got, want)
	}
	if PageLabel(2, 1) != "A000003 p.2" {
		t.Errorf("PageLabel(2, 1) = %q", PageLabel(2, 1))
	}
}

func TestDPartTree(t *testing.T) {
	for _, balanced := range []bool{false, true} {
		t.Run(fmt.Sprint("balanced ", balanced), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.pdf")
			o := Options{Pieces: pieces(23), DPart: true, Balanced: balanced}
			if err := WriteFile(path, o); err != nil {
				t.Fatal(err)
			}
			qpdfCheck(t, path)
			objs := qpdfObjects(t, path)
			pageNum := map[string]int{} // "N 0 R" of each page -> 1-based page number
			var records []string
			for ref, obj := range objs {
				d := dict(obj)
				if d["/Type"] == "/DPart" && d["/Start"] != nil {
					dpm, _ := d["/DPM"].(map[string]any)
					records = append(records, fmt.Sprintf("%v|%v|%v|%v", dpm["/account"], d["/Start"], d["/End"], dpm["/postal_code"]))
				}
				if d["/Type"] == "/Page" {
					if d["/DPart"] == nil {
						t.Errorf("page %s has no /DPart", ref)
					}
					var n int
					fmt.Sscanf(ref, "obj:%d", &n)
					pageNum[fmt.Sprintf("%d 0 R", n)] = (n-firstPage)/2 + 1
				}
			}
			slices.Sort(records)
			if len(records) != len(o.Pieces) {
				t.Fatalf("%d records, want %d", len(records), len(o.Pieces))
			}
			first := 1
			for i, n := range o.Pieces {
				f := strings.Split(records[i], "|")
				end := first + n - 1
				if n == 1 {
					end = first // no /End: the record is its /Start page
				} else if pageNum[f[2]] != end {
					t.Errorf("record %d ends at %s (page %d), want page %d", i+1, f[2], pageNum[f[2]], end)
				}
				if f[0] != "u:"+Account(i) || pageNum[f[1]] != first || f[3] != "u:"+PostalCode(i) {
					t.Errorf("record %d: %q, want account %s from page %d", i+1, records[i], Account(i), first)
				}
				first += n
			}
		})
	}
}
