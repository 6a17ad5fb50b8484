package afp

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// byPostcode orders piece sequence numbers by POSTCODE, then input order.
func byPostcode(idx *Index) []int {
	order := make([]int, len(idx.Pieces))
	for i := range order {
		order[i] = i + 1
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, _ := idx.Pieces[a-1].Value("POSTCODE")
		pb, _ := idx.Pieces[b-1].Value("POSTCODE")
		return cmp.Compare(pa, pb)
	})
	return order
}

func writeOutput(t *testing.T, in []byte, idx *Index, order []int, hook PageHook) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := WriteOutput(&out, bytes.NewReader(in), idx, order, hook); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// checkOutput checks that out holds the pieces of idx in order, each with
// its bytes, metadata, pages and sheets, between the input's header and
// trailer.
func checkOutput(t *testing.T, in []byte, idx *Index, order []int, out []byte, opt IndexOptions) {
	t.Helper()
	got := mustIndex(t, out, opt)
	if len(got.Pieces) != len(order) {
		t.Fatalf("output has %d pieces, want %d", len(got.Pieces), len(order))
	}
	slice := func(b []byte, s Span) []byte { return b[s.Offset:s.End()] }
	if !bytes.Equal(slice(out, got.Header), slice(in, idx.Header)) || !bytes.Equal(slice(out, got.Trailer), slice(in, idx.Trailer)) {
		t.Fatal("output header or trailer differs from the input's")
	}
	page := 1
	for i, seq := range order {
		p, q := idx.Pieces[seq-1], got.Pieces[i]
		body, want := slice(out, q.Span), slice(in, p.Span)
		if p.StartMap() != "" {
			want = withIMM(t, idx.Framing, want, sf(IDIMM, 0, 0, token(t, p.StartMap())))
		}
		if !bytes.Equal(body, want) {
			t.Fatalf("output piece %d differs from input piece %d (invoking %q in front)", i+1, seq, p.StartMap())
		}
		if q.Name != p.Name || !slices.Equal(slices.Collect(q.Attrs()), slices.Collect(p.Attrs())) || q.Pages != p.Pages || q.Sheets != p.Sheets || int(q.FirstPage) != page || q.StartMap() != "" {
			t.Errorf("output piece %d: %+v\nfrom input piece %+v", i+1, q, p)
		}
		page += int(p.Pages)
	}
}

// withIMM is a piece's bytes with an IMM in front of its first field,
// framed as fr says: after the bytes that end the field before, before
// the first field's record descriptor.
func withIMM(t *testing.T, fr Framing, piece, imm []byte) []byte {
	t.Helper()
	f, err := NewReader(bytes.NewReader(piece)).Next()
	if err != nil {
		t.Fatal(err)
	}
	end := len(f.Pre)
	if fr.Descriptor {
		end -= 4
	}
	tail, ok := fr.appendTrail(nil, len(imm))
	if !ok {
		t.Fatal("the IMM does not fit in a record")
	}
	return cat(piece[:end], fr.appendLead(nil, len(imm)), imm, tail, piece[end:])
}

func TestWriteOutputSorted(t *testing.T) {
	for _, opt := range []afptest.Options{{Pages: 500, Seed: 5}, {Pages: 200, Seed: 6, RecordPrefix: true},
		{Pages: 200, Seed: 7, FieldEnd: []byte("\r\n")}} {
		t.Run(fmt.Sprintf("seed%d", opt.Seed), func(t *testing.T) {
			in, _ := generate(t, opt)
			idx := mustIndex(t, in, IndexOptions{})
			order := byPostcode(idx)
			checkOutput(t, in, idx, order, writeOutput(t, in, idx, order, nil), IndexOptions{})
		})
	}
}

// TestWriteOutputSplit writes four outputs at once from one index and one
// input, as a daemon feeding four printers would.
func TestWriteOutputSplit(t *testing.T) {
	in, gt := generate(t, afptest.Options{Pages: 400, Seed: 8})
	idx := mustIndex(t, in, IndexOptions{})
	order := byPostcode(idx)
	src := bytes.NewReader(in)
	parts := make([][]int, 4)
	outs := make([]bytes.Buffer, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range parts {
		parts[i] = order[i*len(order)/4 : (i+1)*len(order)/4]
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = WriteOutput(&outs[i], src, idx, parts[i], nil)
		}()
	}
	wg.Wait()
	pieces, pages := 0, 0
	for i := range parts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		checkOutput(t, in, idx, parts[i], outs[i].Bytes(), IndexOptions{})
		got := mustIndex(t, outs[i].Bytes(), IndexOptions{})
		if got.FormMapSource != "inline" || got.FormMap.Name != gt.FormMap {
			t.Errorf("output %d: form map %v (%s)", i, got.FormMap, got.FormMapSource)
		}
		pieces, pages = pieces+len(got.Pieces), pages+got.Pages
	}
	if pieces != len(gt.Pieces) || pages != gt.Pages {
		t.Errorf("outputs hold %d pieces, %d pages; want %d, %d", pieces, pages, len(gt.Pieces), gt.Pages)
	}
	if out := writeOutput(t, in, idx, nil, nil); !bytes.Equal(out, cat(in[:idx.Header.End()], in[idx.Trailer.Offset:])) {
		t.Error("an output without pieces is not header and trailer")
	}
}

func TestWriteOutputHook(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 300, Seed: 9})
	idx := mustIndex(t, in, IndexOptions{})
	order := byPostcode(idx)
	var marks []mark
	var places []PagePlace
	hook := func(p *Piece, at PagePlace) []*Field {
		marks = append(marks, mark{int(p.Seq), at.Page, at.Sheet})
		places = append(places, at)
		return []*Field{{ID: IDNOP, Data: fmt.Appendf(nil, "mark %d %d %d", p.Seq, at.Page, at.Sheet)}}
	}
	out := writeOutput(t, in, idx, order, hook)

	// Every EPG follows its mark, and the marks count pages and sheets.
	r := NewReader(bytes.NewReader(out))
	var prev *Field
	epgs := 0
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.ID == IDEPG {
			if prev == nil || prev.ID != IDNOP || !strings.HasPrefix(string(prev.Data), "mark ") {
				t.Fatalf("EPG at %d not preceded by a mark", f.Offset)
			}
			epgs++
		}
		prev = f
	}
	if epgs != idx.Pages || len(marks) != idx.Pages {
		t.Fatalf("%d EPGs, %d marks, want %d", epgs, len(marks), idx.Pages)
	}
	i := 0
	for _, seq := range order {
		p := idx.Pieces[seq-1]
		lastSheet := 0
		for page := 1; page <= int(p.Pages); page++ {
			m := marks[i]
			i++
			if m.seq != seq || m.page != page || m.sheet < lastSheet || m.sheet > lastSheet+1 || m.sheet < 1 {
				t.Fatalf("mark %+v after sheet %d, want piece %d page %d", m, lastSheet, seq, page)
			}
			lastSheet = m.sheet
		}
		if lastSheet != int(p.Sheets) {
			t.Errorf("piece %d: hook saw %d sheets, index says %d", seq, lastSheet, p.Sheets)
		}
	}
	checkPlaces(t, marks, places)
	plain := writeOutput(t, in, idx, order, nil)
	if nilHook := writeOutput(t, in, idx, order, func(*Piece, PagePlace) []*Field { return []*Field{nil} }); !bytes.Equal(nilHook, plain) {
		t.Error("a hook inserting nothing changes the output")
	}
}

func TestWriteOutputErrors(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 30, Seed: 10})
	idx := mustIndex(t, in, IndexOptions{})
	n := len(idx.Pieces)
	tests := []struct {
		name     string
		src      []byte
		order    []int
		hook     PageHook
		sentinel error
	}{
		{"piece 0", in, []int{0}, nil, ErrOrder},
		{"piece past the end", in, []int{1, n + 1}, nil, ErrOrder},
		{"piece twice", in, []int{2, 1, 2}, nil, ErrOrder},
		{"input shorter than the index", in[:len(in)/2], []int{n}, nil, ErrTruncated},
		{"hook field that cannot be written", in, []int{1}, func(*Piece, PagePlace) []*Field {
			return []*Field{{ID: IDNOP, Pad: []byte{1}}}
		}, ErrField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteOutput(io.Discard, bytes.NewReader(tt.src), idx, tt.order, tt.hook)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("got %v, want %v", err, tt.sentinel)
			}
		})
	}
}

// mark is what a test hook saw of a page.
type mark struct{ seq, page, sheet int }

// checkPlaces checks the sides the hook was told: each sheet starts with
// the first page of its front, backs follow fronts, a sheet has at most
// two sides; and the run has backs and n-up sides (more than one page).
func checkPlaces(t *testing.T, marks []mark, places []PagePlace) {
	t.Helper()
	backs, shared := 0, 0
	sides := 0
	for i, at := range places {
		newSheet := i == 0 || marks[i].seq != marks[i-1].seq || marks[i].sheet != marks[i-1].sheet
		switch {
		case newSheet && (at.Back || !at.FirstOnSide):
			t.Fatalf("page %+v starts a sheet but is not the first of its front", at)
		case newSheet:
			sides = 1
		case places[i-1].Back && !at.Back:
			t.Fatalf("page %+v: a front after a back on one sheet", at)
		case !at.FirstOnSide && at.Back != places[i-1].Back:
			t.Fatalf("page %+v shares a side with the page before, but not its side", at)
		case at.FirstOnSide:
			sides++
		}
		if sides > 2 {
			t.Fatalf("page %+v: a third side on one sheet", at)
		}
		if at.Back {
			backs++
		}
		if !at.FirstOnSide {
			shared++
		}
	}
	if backs == 0 || shared == 0 {
		t.Errorf("the run has %d back pages and %d pages sharing a side: want both", backs, shared)
	}
}
