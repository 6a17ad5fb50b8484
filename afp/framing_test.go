package afp

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// framings are the ways the tests frame a run's fields.
var framings = []struct {
	name string
	opt  afptest.Options
	want Framing
}{
	{"bare", afptest.Options{}, Framing{}},
	{"rdw", afptest.Options{RecordPrefix: true}, Framing{Descriptor: true, DescriptorSelf: true}},
	{"crlf", afptest.Options{FieldEnd: []byte("\r\n")}, Framing{Sep: []byte("\r\n")}},
	{"lf", afptest.Options{FieldEnd: []byte("\n")}, Framing{Sep: []byte("\n")}},
	{"rdw-nul", afptest.Options{RecordPrefix: true, FieldEnd: []byte{0, 0}}, Framing{Descriptor: true, DescriptorSelf: true, Sep: []byte{0, 0}}},
	{"fixed-records", afptest.Options{RecordLength: 1024}, Framing{Record: 1024}},
	{"rdw-fixed-records", afptest.Options{RecordPrefix: true, RecordLength: 800}, Framing{Descriptor: true, DescriptorSelf: true, Record: 800}},
}

// checkFraming walks a print file field by field and fails unless every
// field has the framing fr: its record descriptor with its length right,
// the separator or padding after it.
func checkFraming(t *testing.T, b []byte, fr Framing) (fields int) {
	t.Helper()
	r := NewReader(bytes.NewReader(b))
	var last *Field
	var end []byte // what the field before must be followed by
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := fr.appendLead(end, f.Size()); !bytes.Equal(f.Pre, want) {
			t.Fatalf("field %d (%s at %d) framed by % X, want % X", fields+1, f.Name(), f.Offset, f.Pre, want)
		}
		var ok bool
		if end, ok = fr.appendTrail(nil, f.Size()); !ok {
			t.Fatalf("field %d (%s at %d) of %d bytes does not fit in a record", fields+1, f.Name(), f.Offset, f.Size())
		}
		fields++
		last = f
	}
	if last == nil || !bytes.Equal(last.Trail, end) {
		t.Fatalf("the last field is followed by % X, want % X", last.Trail, end)
	}
	return fields
}

// TestWriteOutputKeepsFraming writes sorted outputs of framed runs with
// fields added before every EPG and IMMs in front of pieces that inherit
// their medium map: every field of the output, added or copied, has the
// input's framing.
func TestWriteOutputKeepsFraming(t *testing.T) {
	for _, tt := range framings {
		t.Run(tt.name, func(t *testing.T) {
			opt := tt.opt
			opt.Pages, opt.Seed, opt.TextBytes = 120, 21, 300
			in, _ := generate(t, opt)
			idx := mustIndex(t, in, IndexOptions{})
			if fmt.Sprint(idx.Framing) != fmt.Sprint(tt.want) {
				t.Fatalf("framing %+v, want %+v", idx.Framing, tt.want)
			}
			checkFraming(t, in, tt.want)
			order := byPostcode(idx)
			hook := func(p *Piece, at PagePlace) []*Field {
				return []*Field{{ID: IDNOP, Data: fmt.Appendf(nil, "mark %d %d", p.Seq, at.Page)}, {ID: IDNOP}}
			}
			for _, h := range []PageHook{nil, hook} {
				out := writeOutput(t, in, idx, order, h)
				n := checkFraming(t, out, tt.want)
				if got := mustIndex(t, out, IndexOptions{}); got.Pages != idx.Pages || len(got.Pieces) != len(idx.Pieces) {
					t.Fatalf("output of %d fields: %d pages, %d pieces", n, got.Pages, len(got.Pieces))
				}
			}
		})
	}
}

// TestWriteOutputBareUnchanged: on an input without framing, the output
// without a hook is the input's header, each piece (behind an IMM when it
// inherits its map) and the trailer, byte for byte.
func TestWriteOutputBareUnchanged(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 150, Seed: 22})
	idx := mustIndex(t, in, IndexOptions{})
	order := byPostcode(idx)
	want := append([]byte(nil), in[:idx.Header.End()]...)
	for _, seq := range order {
		p := idx.Pieces[seq-1]
		if p.StartMap() != "" {
			want = append(want, sf(IDIMM, 0, 0, token(t, p.StartMap()))...)
		}
		want = append(want, in[p.Offset:p.End()]...)
	}
	want = append(want, in[idx.Trailer.Offset:]...)
	if out := writeOutput(t, in, idx, order, nil); !bytes.Equal(out, want) {
		t.Fatal("output differs from the input's bytes in the new order")
	}
}
