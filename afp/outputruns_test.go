package afp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/afptest"
)

// writeByField writes an output walking every piece field by field, the
// reference runs must equal.
func writeByField(src []byte, idx *Index, order []int, hook PageHook) ([]byte, error) {
	var out bytes.Buffer
	o := newOutput(&out, bytes.NewReader(src), idx, order, hook)
	o.byField = true
	err := o.write(order)
	return out.Bytes(), err
}

// runHooks are hooks of every kind: fields of their own for each page,
// the same fields for every page (kept encoded), nothing, nil fields.
func runHooks() map[string]PageHook {
	shared := []*Field{{ID: IDNOP, Data: []byte("shared")}, {ID: IDNOP, Flags: FlagExt, Ext: []byte{1, 2}}}
	other := []*Field{{ID: IDNOP, Data: []byte("other")}}
	return map[string]PageHook{
		"own": func(p *Piece, at PagePlace) []*Field {
			return []*Field{{ID: IDNOP, Data: fmt.Appendf(nil, "%d %d %d", p.Seq, at.Page, at.Sheet)}}
		},
		"shared": func(p *Piece, at PagePlace) []*Field {
			if at.Back {
				return other
			}
			return shared
		},
		"fronts": func(p *Piece, at PagePlace) []*Field {
			if !at.FirstOnSide || at.Back {
				return nil
			}
			return shared[:1]
		},
		"nil fields": func(*Piece, PagePlace) []*Field { return []*Field{nil} },
	}
}

// checkRuns writes the pieces of in in input order and reversed, with
// every hook, by runs and field by field, and fails unless both write the
// same bytes or both fail.
func checkRuns(t *testing.T, in []byte, opt IndexOptions) (checked int) {
	t.Helper()
	idx, err := BuildIndex(bytes.NewReader(in), opt)
	if err != nil || !idx.Framing.None() || len(idx.Pieces) == 0 {
		return 0
	}
	forward := make([]int, len(idx.Pieces))
	for i := range forward {
		forward[i] = i + 1
	}
	backward := slices.Clone(forward)
	slices.Reverse(backward)
	for name, hook := range runHooks() {
		for _, order := range [][]int{forward, backward} {
			var got bytes.Buffer
			err := WriteOutput(&got, bytes.NewReader(in), idx, order, hook)
			want, werr := writeByField(in, idx, order, hook)
			if (err == nil) != (werr == nil) {
				t.Fatalf("hook %s: by runs %v, field by field %v", name, err, werr)
			}
			if err == nil && !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("hook %s, order %v…: by runs %d bytes, field by field %d, not the same", name, order[:1], got.Len(), len(want))
			}
		}
	}
	return 1
}

// TestWriteOutputRuns: pieces copied as runs between the added fields are
// the bytes the field by field walk writes, on every sample and fuzz seed
// without framing, on runs with filler between some fields, and on pieces
// larger than a block.
func TestWriteOutputRuns(t *testing.T) {
	inputs := fuzzSeeds(t)
	for _, path := range samples(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs[path] = b
	}
	n := 0
	for _, in := range inputs {
		for _, b := range []Boundary{PageGroups(), EveryIMM(), FixedPages(2)} {
			n += checkRuns(t, in, IndexOptions{Boundary: b})
		}
	}
	t.Logf("%d samples and seeds checked", n)
	if n < 10 {
		t.Fatalf("only %d samples and seeds without framing checked", n)
	}
	run, _ := generate(t, afptest.Options{Pages: 300, Seed: 31})
	if checkRuns(t, run, IndexOptions{}) == 0 {
		t.Fatal("the generated run is not indexed without framing")
	}
	// Filler after the framing is read: CR LF and NULs between fields.
	idx := mustIndex(t, run, IndexOptions{})
	var filled []byte
	for i, p := range idx.Pieces {
		if i == 0 {
			filled = append(filled, run[:p.Offset]...)
		}
		filled = append(filled, run[p.Offset:p.End()]...)
		filled = append(filled, [][]byte{nil, []byte("\r\n"), {0, 0, 0}}[i%3]...)
	}
	filled = append(filled, run[idx.Trailer.Offset:]...)
	if checkRuns(t, filled, IndexOptions{}) == 0 {
		t.Fatal("the run with filler is not indexed without framing")
	}
	big, _ := generate(t, afptest.Options{Pages: 1200, Seed: 32, TextBytes: 1500})
	if checkRuns(t, withoutGroups(t, big), IndexOptions{}) == 0 {
		t.Fatal("the run without page groups is not one piece without framing")
	}
}

// withoutGroups is in without its page groups' BNG and ENG: one piece.
func withoutGroups(t *testing.T, in []byte) []byte {
	var out bytes.Buffer
	r, w := NewReader(bytes.NewReader(in)), NewWriter(&out)
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.ID != IDBNG && f.ID != IDENG {
			if err := w.WriteField(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// failingWriter takes limit bytes, then fails.
type failingWriter struct{ limit int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errDiskFull
	}
	w.limit -= len(p)
	return len(p), nil
}

// TestWriteOutputWriteError: a destination that fails is reported, for
// outputs written in the caller and in chunks by a goroutine alike.
func TestWriteOutputWriteError(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 1500, Seed: 33})
	idx := mustIndex(t, in, IndexOptions{})
	order := byPostcode(idx)
	hook := runHooks()["own"]
	for _, limit := range []int{1000, asyncChunk + 1000} {
		for _, h := range []PageHook{nil, hook} {
			err := WriteOutput(&failingWriter{limit: limit}, bytes.NewReader(in), idx, order, h)
			if !errors.Is(err, errDiskFull) {
				t.Errorf("destination failing after %d bytes: %v", limit, err)
			}
		}
	}
	small := []int{order[0]}
	if err := WriteOutput(&failingWriter{limit: 10}, bytes.NewReader(in), idx, small, hook); !errors.Is(err, errDiskFull) {
		t.Errorf("one piece, destination failing after 10 bytes: %v", err)
	}
}

// TestWriteOutputHookPanics: a hook's panic reaches the caller, and the
// goroutine writing a large output stops.
func TestWriteOutputHookPanics(t *testing.T) {
	in, _ := generate(t, afptest.Options{Pages: 1500, Seed: 34})
	idx := mustIndex(t, in, IndexOptions{})
	order := byPostcode(idx)
	before := runtime.NumGoroutine()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the hook's panic did not reach the caller")
			}
		}()
		pages := 0
		_ = WriteOutput(io.Discard, bytes.NewReader(in), idx, order, func(*Piece, PagePlace) []*Field {
			if pages++; pages == 1000 {
				panic("hook")
			}
			return nil
		})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the panic, %d before", n, before)
	}
}
