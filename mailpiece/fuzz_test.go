package mailpiece

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"
)

// FuzzFromSidecar reads arbitrary sidecar indexes, checks the pieces it
// accepts against the rules, writes them back and reads them again.
func FuzzFromSidecar(f *testing.F) {
	seeds := []struct {
		data  string
		csv   bool
		pages uint16
	}{
		{`{"pieces":[{"first_page":1,"pages":2,"meta":{"account":"A1"}},{"first_page":3,"last_page":5}]}`, false, 5},
		{`[{"first_page":1,"pages":1,"meta":{"n":1,"b":false,"z":null}}]`, false, 1},
		{`[{"first_page":1,"pages":2},{"first_page":2,"pages":2}]`, false, 3},
		{`{"pieces":[{"first_page":1,"pages":-1}]}`, false, 3},
		{"first_page,pages,account\n1,2,A1\n\n3,1,\"A,2\"\n", true, 3},
		{"\ufefffirst_page,last_page,x\n1,1,\n2,4,\"a\nb\"\n", true, 4},
		{"first_page,pages\n1,1\n3,1\n", true, 3},
		{`{"x":[{"y":null}],"pieces":[{"first_page":9,"pages":1}],"PIECES":[{"first_page":1,"pages":1,"meta":{"a":[1],"a":"b"}}]}`, false, 1},
		{`[{"first_page":1,"last_page":2,"meta":{"k":"v","k":"w"},"meta":{"n":1.5e3}}] `, false, 2},
		{"first_page,pages,\n1,1,\n", true, 1},
	}
	for _, s := range seeds {
		f.Add([]byte(s.data), s.csv, s.pages, false)
	}
	f.Fuzz(func(t *testing.T, data []byte, isCSV bool, pageCount uint16, duplex bool) {
		format := "json"
		if isCSV {
			format = "csv"
		}
		pieces, err := FromSidecar(bytes.NewReader(data), format, int(pageCount), duplex)
		if err != nil {
			if !errors.Is(err, ErrSidecar) && !errors.Is(err, ErrInconsistent) {
				t.Fatalf("error %q wraps neither ErrSidecar nor ErrInconsistent", err)
			}
			return
		}
		checkPieces(t, pieces, int(pageCount), duplex)
		again := writeSidecar(t, pieces, isCSV)
		pieces2, err := FromSidecar(bytes.NewReader(again), format, int(pageCount), duplex)
		if err != nil {
			t.Fatalf("reading back %q: %v", again, err)
		}
		if !slices.EqualFunc(pieces, pieces2, Piece.Equal) {
			t.Fatalf("read back differs:\n%+v\n%+v", pieces, pieces2)
		}
	})
}

// checkPieces checks that pieces cover pages 1..pageCount in order, once.
func checkPieces(t *testing.T, pieces []Piece, pageCount int, duplex bool) {
	t.Helper()
	next := 1
	for i, p := range pieces {
		if p.Seq != i+1 || p.FirstPage != next || p.Pages < 1 || p.Sheets != SheetsFor(p.Pages, duplex) {
			t.Fatalf("piece %d: %+v, want seq %d from page %d", i+1, p, i+1, next)
		}
		next = p.LastPage() + 1
	}
	if len(pieces) == 0 || next != pageCount+1 {
		t.Fatalf("%d pieces end before page %d of %d", len(pieces), next, pageCount)
	}
}

// writeSidecar writes pieces as a sidecar index, in CSV or JSON.
func writeSidecar(t *testing.T, pieces []Piece, isCSV bool) []byte {
	t.Helper()
	if !isCSV {
		type entry struct {
			First int               `json:"first_page"`
			Pages int               `json:"pages"`
			Meta  map[string]string `json:"meta,omitempty"`
		}
		var doc struct {
			Pieces []entry `json:"pieces"`
		}
		for _, p := range pieces {
			doc.Pieces = append(doc.Pieces, entry{p.FirstPage, p.Pages, p.Meta.Map()})
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	keys := pieces[0].Meta.Names()
	_ = w.Write(append([]string{"first_page", "pages"}, keys...))
	for _, p := range pieces {
		rec := []string{strconv.Itoa(p.FirstPage), strconv.Itoa(p.Pages)}
		for _, k := range keys {
			rec = append(rec, p.Meta.Get(k))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
