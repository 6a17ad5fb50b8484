package afp

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// onePass is an input and what BuildIndex makes of it.
type onePass struct {
	in      []byte
	opt     IndexOptions
	want    *Index
	wantErr error
}

func indexOnce(in []byte, opt IndexOptions) onePass {
	want, err := BuildIndex(bytes.NewReader(in), opt)
	return onePass{in, opt, want, err}
}

// checkSplit indexes in split as the plan says and in one pass, and fails
// unless both give the same index or the same error.
func checkSplit(t testing.TB, name string, in []byte, opt IndexOptions, plan splitPlan) splitStats {
	t.Helper()
	return indexOnce(in, opt).check(t, name, plan)
}

// check indexes the input split as the plan says, and fails unless that
// gives the index or the error of one pass.
func (o onePass) check(t testing.TB, name string, plan splitPlan) splitStats {
	t.Helper()
	want, wantErr := o.want, o.wantErr
	got, stats, err := buildSplit(bytes.NewReader(o.in), int64(len(o.in)), o.opt, plan)
	switch {
	case wantErr != nil || err != nil:
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%s, cuts %v (exact %v): split gives error %v, one pass %v", name, plan.cuts, plan.exact, err, wantErr)
		}
	case !sameIndex(got, want):
		t.Fatalf("%s, cuts %v (exact %v), %+v: split index differs from one pass:\n%s\nwant\n%s", name, plan.cuts, plan.exact, stats,
			dumpIndex(got), dumpIndex(want))
	}
	return stats
}

// fieldEnds returns the offset after every field of in, as far as it
// reads.
func fieldEnds(in []byte) []int64 {
	var ends []int64
	r := NewReader(bytes.NewReader(in))
	for {
		f, err := r.Next()
		if err != nil {
			return ends
		}
		ends = append(ends, f.Offset+int64(f.Size()))
	}
}

// fieldList reads the fields of in, as far as it reads.
func fieldList(in []byte) []*Field {
	var fields []*Field
	r := NewReader(bytes.NewReader(in))
	for {
		f, err := r.Next()
		if err != nil {
			return fields
		}
		fields = append(fields, f)
	}
}

// fieldAt returns the offset of the 0x5A of the n-th field of in with the
// identifier (n from 0), -1 when there are fewer.
func fieldAt(in []byte, id uint32, n int) int64 {
	r := NewReader(bytes.NewReader(in))
	for {
		f, err := r.Next()
		if err != nil {
			return -1
		}
		if f.ID == id {
			if n == 0 {
				return f.Offset
			}
			n--
		}
	}
}

// splitInputs are the samples, small runs of the generator in every
// framing, small-page runs, and two documents in one file.
func splitInputs(t *testing.T) map[string][]byte {
	inputs := map[string][]byte{}
	for _, path := range samples(t) {
		inputs[path] = readSample(t, path[len(samplesDir)+1:])
	}
	for _, opt := range []afptest.Options{{Pages: 60, Seed: 21, TextBytes: 40}, {Pages: 40, Seed: 22, TextBytes: 30, RecordPrefix: true},
		{Pages: 40, Seed: 23, TextBytes: 30, FieldEnd: []byte("\r\n")}, {Pages: 30, Seed: 24, TextBytes: 30, RecordPrefix: true, RecordLength: 200},
		{Pages: 80, Seed: 25, SmallPages: true}, {Pages: 50, Seed: 26, SmallPages: true, RecordPrefix: true, FieldEnd: []byte("\r\n")}} {
		in, _ := generate(t, opt)
		inputs[fmt.Sprintf("run %+v", opt)] = in
	}
	page := pageFields(t, 1)
	inputs["two documents"] = cat(docFields(groupFields(t, "G1", immField(t, "M1"), page), groupFields(t, "G2", page)),
		docFields(groupFields(t, "G3", page), groupFields(t, "G4", immField(t, "M2"), page, page)))
	return inputs
}

// TestSplitIndexEveryFieldEnd starts a part after every field of every
// input in turn, then after all of them at once: in page groups, in
// resource groups, between an IMM and its pages, in the header and the
// trailer. Parts that begin where the state is not the one between page
// groups must be indexed again, the others kept.
func TestSplitIndexEveryFieldEnd(t *testing.T) {
	kept := 0
	for name, in := range splitInputs(t) {
		ends, one := fieldEnds(in), indexOnce(in, IndexOptions{})
		step := max(1, len(ends)/300) // the large samples: every few fields
		for i := 0; i < len(ends); i += step {
			kept += one.check(t, name, splitPlan{cuts: ends[i : i+1], exact: true, workers: 2}).kept
		}
		kept += one.check(t, name, splitPlan{cuts: ends, exact: true, workers: 2}).kept
	}
	if kept == 0 {
		t.Error("no part was kept as indexed on its own: every split index was built again in one pass")
	}
}

// TestSplitIndexAnyOffset looks for part boundaries from offsets all over
// every input, field boundaries or not, as BuildIndexAt does.
func TestSplitIndexAnyOffset(t *testing.T) {
	for name, in := range splitInputs(t) {
		step, one := max(1, len(in)/150), indexOnce(in, IndexOptions{})
		var all []int64
		for c := int64(0); c < int64(len(in)); c += int64(step) {
			one.check(t, name, splitPlan{cuts: []int64{c}, workers: 2})
			all = append(all, c)
		}
		one.check(t, name, splitPlan{cuts: all, workers: 2})
	}
}

// TestSplitIndexPositionClasses cuts a run exactly where the state across
// the cut is hardest: inside the resource group's form map, between an IMM
// and the page group it comes before, between a page group's IMM and its
// first page, inside a page, inside a record descriptor and inside CR LF,
// and in every byte of a stretch of the run.
func TestSplitIndexPositionClasses(t *testing.T) {
	in, gt := generate(t, afptest.Options{Pages: 60, Seed: 31, TextBytes: 40, RecordPrefix: true, FieldEnd: []byte("\r\n")})
	one := indexOnce(in, IndexOptions{})
	before := int64(-1) // an IMM before a page group
	for i, f := range fieldList(in) {
		if f.ID == IDIMM && fieldList(in)[i+1].ID == IDBNG {
			before = f.Offset + int64(f.Size())
			break
		}
	}
	classes := map[string]int64{
		"in the form map":               fieldAt(in, IDBMM, 1) + 2,
		"between an IMM and its BNG":    before,
		"inside a page group":           fieldAt(in, IDBPG, 20) - 1,
		"inside a page":                 fieldAt(in, IDBPG, 21) + 30,
		"inside a record descriptor":    fieldAt(in, IDBNG, 7) - 2,
		"inside CR LF after a field":    fieldAt(in, IDENG, 7) + 18,
		"between a group's IMM and BPG": fieldAt(in, IDIMM, 9) + 9,
	}
	for class, c := range classes {
		if c <= 0 {
			t.Fatalf("%s: no such place in the run", class)
		}
		for _, exact := range []bool{false, true} {
			one.check(t, class, splitPlan{cuts: []int64{c}, exact: exact, workers: 2})
		}
	}
	for c := gt.Pieces[5].Offset; c < gt.Pieces[5].Offset+gt.Pieces[5].Length; c++ {
		one.check(t, fmt.Sprintf("byte %d", c), splitPlan{cuts: []int64{c}, workers: 2})
	}
}

// TestSplitIndexKeepsParts checks that a generated run cut at its thirds
// is indexed in three parts, each kept, equal to one pass.
func TestSplitIndexKeepsParts(t *testing.T) {
	for _, opt := range []afptest.Options{{Pages: 3000, Seed: 41, TextBytes: 40}, {Pages: 3000, Seed: 42, SmallPages: true, RecordPrefix: true}} {
		in, _ := generate(t, opt)
		n := int64(len(in))
		stats := checkSplit(t, "run", in, IndexOptions{}, splitPlan{cuts: []int64{n / 3, 2 * n / 3}, workers: 2})
		if stats.whole || stats.parts != 3 || stats.kept != 2 {
			t.Errorf("%+v: %+v, want 3 parts, 2 kept", opt, stats)
		}
	}
}

// TestSplitIndexOptions checks an external form map, code pages, and that
// other boundaries take one pass.
func TestSplitIndexOptions(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 400, Seed: 51, TextBytes: 40})
	fm, err := ParseFormMap(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	n := int64(len(in))
	for _, opt := range []IndexOptions{{FormMap: fm}, {CodePage: 273}, {Boundary: EveryIMM()}, {Boundary: TLEKey("ACCOUNT")}, {CodePage: 1}} {
		checkSplit(t, fmt.Sprintf("%+v", opt), in, opt, splitPlan{cuts: []int64{n / 4, n / 2, 3 * n / 4}, workers: 3})
	}
}

// TestBuildIndexAtSmallAndLarge checks the public entry: a small file in
// one pass, and a run past the part size in parts, both equal to
// BuildIndex.
func TestBuildIndexAtSmallAndLarge(t *testing.T) {
	for _, opt := range []afptest.Options{{Pages: 50, Seed: 61}, {Pages: 12000, Seed: 62}} {
		in, _ := generate(t, opt)
		want, err := BuildIndex(bytes.NewReader(in), IndexOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := BuildIndexAt(bytes.NewReader(in), int64(len(in)), IndexOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !sameIndex(got, want) {
			t.Errorf("%d pages: BuildIndexAt differs from BuildIndex", opt.Pages)
		}
	}
}

// FuzzSplitIndex indexes any input split at every field end, at offsets
// that need not be field ends, and from offsets where boundaries are
// looked for: always the index or the error of one pass.
func FuzzSplitIndex(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		ends, one := fieldEnds(in), indexOnce(in, IndexOptions{})
		var odd []int64
		for c := int64(7); c < int64(len(in)); c += 61 {
			odd = append(odd, c)
		}
		for _, plan := range []splitPlan{{cuts: ends, exact: true}, {cuts: odd, exact: true}, {cuts: odd}, {cuts: ends[:min(len(ends), 1)], exact: true}} {
			plan.workers = 2
			one.check(t, "input", plan)
		}
	})
}

// pieceView is a piece with its attributes and medium maps spelled out,
// so that pieces from different indexers' tables compare.
type pieceView struct {
	Seq, FirstPage, Pages, Sheets int32
	Name, StartMap                string
	Attrs                         []Attr
	MediumMaps                    []string
	Span
}

// sameIndex reports whether two indexes say the same, piece by piece.
func sameIndex(a, b *Index) bool {
	view := func(idx *Index) (Index, []pieceView) {
		out := *idx
		out.Pieces = nil
		ps := make([]pieceView, len(idx.Pieces))
		for i := range idx.Pieces {
			p := &idx.Pieces[i]
			ps[i] = pieceView{p.Seq, p.FirstPage, p.Pages, p.Sheets, p.Name, p.StartMap(), slices.Collect(p.Attrs()), p.MediumMaps(), p.Span}
		}
		return out, ps
	}
	ai, ap := view(a)
	bi, bp := view(b)
	return len(a.Pieces) == len(b.Pieces) && reflect.DeepEqual(ai, bi) && reflect.DeepEqual(ap, bp)
}
