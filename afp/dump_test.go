package afp

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// dumpFields is the field dump of r as omsctl inspect --fields prints
// it, with the input's error, if any, on a last line.
func dumpFields(r io.Reader) string {
	var b strings.Builder
	b.WriteString(FieldTextHeader)
	err := DumpFields(r, func(fi FieldInfo) error { return fi.WriteText(&b) })
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	return b.String()
}

// dumpIndex writes an index as text.
func dumpIndex(idx *Index) string {
	var b strings.Builder
	fmt.Fprintf(&b, "size=%d documents=%d pages=%d sheets=%d pieces=%d\n", idx.Size, idx.Documents, idx.Pages, idx.Sheets, len(idx.Pieces))
	fmt.Fprintf(&b, "header=%d+%d trailer=%d+%d\n", idx.Header.Offset, idx.Header.Length, idx.Trailer.Offset, idx.Trailer.Length)
	for _, r := range idx.Resources {
		fmt.Fprintf(&b, "resource %s %q %d+%d\n", r.Kind, r.Name, r.Offset, r.Length)
	}
	if fm := idx.FormMap; fm != nil {
		fmt.Fprintf(&b, "formmap %q (%s)\n", fm.Name, idx.FormMapSource)
		for _, m := range fm.Maps {
			fmt.Fprintf(&b, "  map %s copies=%d bin=%d pages/sheet=%d\n", m, m.Copies, m.Bin, m.PagesPerSheet())
		}
	}
	for _, p := range idx.Pieces {
		fmt.Fprintf(&b, "piece %d %q pages=%d+%d sheets=%d maps=%v start=%q span=%d+%d\n",
			p.Seq, p.Name, p.FirstPage, p.Pages, p.Sheets, p.MediumMaps(), p.StartMap(), p.Offset, p.Length)
		for a := range p.Attrs() {
			fmt.Fprintf(&b, "  %s=%q\n", a.Name, a.Value)
		}
	}
	return b.String()
}

// TestGoldenGeneratedDump compares the field dump of a small generated run
// (resource group, form map, TLEs in three code pages, IMMs) and of the
// same run cut short with golden text.
func TestGoldenGeneratedDump(t *testing.T) {
	run, _ := generate(t, afptest.Options{Pages: 8, Seed: 3, TextBytes: 16})
	golden(t, "afptest_run.fields", dumpFields(bytes.NewReader(run)))
	cut := dumpFields(bytes.NewReader(run[:len(run)*2/3]))
	if !strings.Contains(cut, "error: afp: offset ") {
		t.Errorf("dump of a truncated run ends without the error:\n%s", cut)
	}
	golden(t, "afptest_run_truncated.fields", cut)
}

func TestDescribeTriplets(t *testing.T) {
	name, value := enc500(t, "POSTCODE"), enc500(t, "04109")
	data := cat([]byte{6, tripletCGCS, 0x02, 0xB9, 0x01, 0xF4},
		append([]byte{byte(4 + len(name)), tripletFQN, fqnAttributeName, 0}, name...),
		append([]byte{byte(4 + len(value)), tripletValue, 0, 0}, value...),
		[]byte{10, 0x80, 0, 0, 0, 7, 0, 0, 0, 1})
	fi := Describe(&Field{ID: IDTLE, Data: data, Offset: 99})
	want := []TripletInfo{
		{ID: "01", Name: "CGCSGID", Length: 6, Value: "gcsgid=697 cpgid=500"},
		{ID: "02", Name: "FQN", Length: 12, Value: `type=0B (attribute name) "POSTCODE"`},
		{ID: "36", Name: "AttrVal", Length: 9, Value: `"04109"`},
		{ID: "80", Name: "AttrQual", Length: 10, Value: "seq=7 level=1"},
	}
	if !slices.Equal(fi.Triplets, want) || fi.Summary != `POSTCODE="04109"` || fi.Name != "TLE" || fi.ID != "D3A090" || fi.Offset != 99 {
		t.Errorf("Describe = %+v", fi)
	}
	bad := Describe(&Field{ID: IDTLE, Data: append(slices.Clone(data), 9, 0x36)})
	if len(bad.Triplets) != 4 || !strings.Contains(bad.Problem, "has length 9") {
		t.Errorf("Describe of a TLE with a cut triplet = %+v", bad)
	}
}
