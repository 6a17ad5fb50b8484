package mailpiece

import (
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/meta"
)

func TestFromSidecar(t *testing.T) {
	three := []Piece{
		{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 1, Meta: meta.FromMap(map[string]string{"account": "A1"})},
		{Seq: 2, FirstPage: 3, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"account": "A2"})},
		{Seq: 3, FirstPage: 4, Pages: 3, Sheets: 2, Meta: meta.FromMap(map[string]string{"account": "A3"})},
	}
	tests := []struct {
		name   string
		format string
		in     string
		pages  int
		duplex bool
		want   []Piece
	}{
		{"json object", "json", `{"pieces":[
			{"first_page":1,"pages":2,"meta":{"account":"A1"}},
			{"first_page":3,"pages":1,"meta":{"account":"A2"}},
			{"first_page":4,"pages":3,"meta":{"account":"A3"}}]}`, 6, true, three},
		{"json bare array, last_page", "JSON", `[
			{"first_page":1,"last_page":2,"meta":{"account":"A1"}},
			{"first_page":3,"last_page":3,"meta":{"account":"A2"}},
			{"first_page":4,"pages":3,"last_page":6,"meta":{"account":"A3"}}]`, 6, true, three},
		{"json other members, scalar meta", "json", `{"version":1,"pieces":[
			{"first_page":1,"pages":2,"meta":{"n":12345,"ok":true,"none":null,"s":"x"}}]}`, 2, false,
			[]Piece{{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 2,
				Meta: meta.FromMap(map[string]string{"n": "12345", "ok": "true", "none": "", "s": "x"})}}},
		{"json last pieces member counts, any case", "json", `{"pieces":[{"first_page":9,"pages":1}],"Pieces":[
			{"first_page":1,"pages":2,"meta":{"account":"A0","account":"A1"}},
			{"first_page":3,"pages":1,"meta":{"x":"y"},"meta":{"account":"A2"}},
			{"first_page":4,"pages":3,"meta":{"account":"A3"}}]}`, 6, true, three},
		{"json no meta", "json", `{"pieces":[{"first_page":1,"pages":5,"meta":{}}]}`, 5, false,
			[]Piece{{Seq: 1, FirstPage: 1, Pages: 5, Sheets: 5}}},
		{"csv", "csv", "first_page,pages,account\n1,2,A1\n\n3,1,A2\r\n4,3,A3\n", 6, true, three},
		{"csv last_page, bom, spaces, case", "csv",
			"\ufeff First_Page , LAST_PAGE,account\n1, 2,A1\n ,,\n3,3,A2\n4,6,A3", 6, true, three},
		{"csv both columns, one empty", "csv",
			"first_page,pages,last_page,account\n1,2,,A1\n3,,3,A2\n4,3,6,A3\n", 6, true, three},
		{"csv quoted meta", "csv", "first_page,pages,name\n1,1,\"Doe, Jane\"\n", 1, false,
			[]Piece{{Seq: 1, FirstPage: 1, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"name": "Doe, Jane"})}}},
		{"csv no meta columns", "csv", "pages,first_page\n1,1\n1,2\n", 2, false,
			[]Piece{{Seq: 1, FirstPage: 1, Pages: 1, Sheets: 1}, {Seq: 2, FirstPage: 2, Pages: 1, Sheets: 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromSidecar(strings.NewReader(tc.in), tc.format, tc.pages, tc.duplex)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tc.want, Piece.Equal) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestFromSidecarErrors(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		in      string
		pages   int
		wantErr error
		wantMsg string // a part of the message
	}{
		{"unknown format", "xml", "<x/>", 1, nil, `unknown format "xml"`},
		{"json syntax", "json", `{"pieces":[`, 1, ErrSidecar, "unexpected end"},
		{"json no pieces member", "json", `{"piece":[]}`, 1, ErrSidecar, `no "pieces"`},
		{"json empty pieces", "json", `{"pieces":[]}`, 1, ErrInconsistent, "no pieces"},
		{"json null piece", "json", `[null]`, 1, ErrSidecar, "piece 1: "},
		{"json unknown field", "json", `[{"first_page":1,"pages":1},{"first_page":2,"page":1}]`, 2, ErrSidecar, `piece 2: mailpiece: malformed sidecar index: unknown field "page"`},
		{"json no first_page", "json", `[{"pages":1}]`, 1, ErrSidecar, "piece 1: mailpiece: malformed sidecar index: no first_page"},
		{"json no pages", "json", `[{"first_page":1}]`, 1, ErrSidecar, "neither pages nor last_page"},
		{"json fraction", "json", `[{"first_page":1.5,"pages":1}]`, 1, ErrSidecar, "first_page"},
		{"json string number", "json", `[{"first_page":"1","pages":1}]`, 1, ErrSidecar, "first_page"},
		{"json nested meta", "json", `[{"first_page":1,"pages":1,"meta":{"a":{"b":1}}}]`, 1, ErrSidecar, `field "a"`},
		{"json trailing data", "json", `[{"first_page":1,"pages":1}] x`, 1, ErrSidecar, "invalid character"},
		{"page zero", "json", `[{"first_page":0,"pages":1}]`, 3, ErrInconsistent, "piece 1: mailpiece: piece index inconsistent with the print file: first page 0 outside"},
		{"past the end", "json", `[{"first_page":1,"pages":4}]`, 3, ErrInconsistent, "4 pages from page 1 run past the print file's last page 3"},
		{"huge pages", "json", `[{"first_page":1,"pages":9223372036854775807}]`, 3, ErrInconsistent, "run past"},
		{"huge first", "json", `[{"first_page":9223372036854775807,"pages":2}]`, 3, ErrInconsistent, "first page 9223372036854775807 outside"},
		{"last past the end", "json", `[{"first_page":1,"last_page":4}]`, 3, ErrInconsistent, "last page 4 outside"},
		{"last before first", "json", `[{"first_page":2,"last_page":1}]`, 3, ErrInconsistent, "last page 1 comes before first page 2"},
		{"pages and last disagree", "json", `[{"first_page":1,"pages":2,"last_page":3}]`, 3, ErrInconsistent, "disagree"},
		{"zero pages", "json", `[{"first_page":1,"pages":0}]`, 3, ErrInconsistent, "0 pages"},
		{"overlap", "json", `[{"first_page":1,"pages":2},{"first_page":2,"pages":2}]`, 3, ErrInconsistent, "piece 2: mailpiece: piece index inconsistent with the print file: pages 2-3 overlap piece 1"},
		{"order", "json", `[{"first_page":3,"pages":1},{"first_page":1,"pages":2}]`, 3, ErrInconsistent, "pages 1-2 before the first piece"},
		{"order later", "json", `[{"first_page":1,"pages":1},{"first_page":3,"pages":1},{"first_page":2,"pages":1}]`, 3, ErrInconsistent, "piece 2: mailpiece: piece index inconsistent with the print file: pages 2-2 between piece 1"},
		{"backwards", "json", `[{"first_page":1,"pages":1},{"first_page":2,"pages":2},{"first_page":1,"pages":1}]`, 3, ErrInconsistent, "piece 3: mailpiece: piece index inconsistent with the print file: pages 1-1 come before those of piece 2"},
		{"gap", "json", `[{"first_page":1,"pages":1},{"first_page":4,"pages":1}]`, 4, ErrInconsistent, "pages 2-3 between piece 1 and this piece belong to no piece"},
		{"tail uncovered", "json", `[{"first_page":1,"pages":1}]`, 4, ErrInconsistent, "pages 2-4 after the last piece"},
		{"no pages in file", "json", `[{"first_page":1,"pages":1}]`, 0, ErrInconsistent, "no pages"},
		{"json empty", "json", "", 1, ErrSidecar, "unexpected end"},
		{"json scalar", "json", `5`, 1, ErrSidecar, `want an object with a "pieces" array`},
		{"json pieces not an array", "json", `{"pieces":{"first_page":1}}`, 1, ErrSidecar, `"pieces" is not an array`},
		{"json pieces null", "json", `{"pieces":[{"first_page":1,"pages":1}],"pieces":null}`, 1, ErrSidecar, `no "pieces"`},
		{"json piece not an object", "json", `[{"first_page":1,"pages":1},[1]]`, 2, ErrSidecar, "piece 2: mailpiece: malformed sidecar index: want a piece object, got an array"},
		{"json meta not an object", "json", `[{"first_page":1,"pages":1,"meta":["a"]}]`, 1, ErrSidecar, "meta: want an object of fields, got an array"},
		{"json null first_page", "json", `[{"first_page":null,"pages":1}]`, 1, ErrInconsistent, "first page 0 outside"},
		{"json more after the index", "json", `[{"first_page":1,"pages":1}] []`, 1, ErrSidecar, "more data after the index"},
		{"json unclosed piece", "json", `[{"first_page":1,"pages":1}`, 1, ErrSidecar, "unexpected end"},
		{"json field error before inconsistency", "json", `[{"first_page":2,"pages":1},{"first_page":2,"pagez":1}]`, 2, ErrSidecar, `piece 2: mailpiece: malformed sidecar index: unknown field "pagez"`},
		{"json syntax error before field error", "json", `[{"first_page":1,"pagez":1},{"first_page":2,,}]`, 2, ErrSidecar, "invalid character ','"},
		{"csv empty", "csv", "", 1, ErrSidecar, "no header"},
		{"csv field error before inconsistency", "csv", "first_page,pages\n2,1\n3,x\n", 3, ErrSidecar, `line 3: mailpiece: malformed sidecar index: pages: want a whole number, got "x"`},
		{"csv header only", "csv", "first_page,pages\n", 1, ErrInconsistent, "no pieces"},
		{"csv no first_page column", "csv", "pages,account\n1,A\n", 1, ErrSidecar, "no first_page column"},
		{"csv no pages column", "csv", "first_page,account\n1,A\n", 1, ErrSidecar, "neither a pages nor a last_page column"},
		{"csv duplicate column", "csv", "first_page,pages,Pages\n1,1,1\n", 1, ErrSidecar, `column "Pages" appears twice`},
		{"csv unnamed column", "csv", "first_page,pages,\n1,1,x\n", 1, ErrSidecar, "column 3 has no name"},
		{"csv bad number", "csv", "first_page,pages\n1,1\n2,two\n", 2, ErrSidecar, `line 3: mailpiece: malformed sidecar index: pages: want a whole number, got "two"`},
		{"csv empty first_page", "csv", "first_page,pages\n,1\n", 1, ErrSidecar, "line 2: mailpiece: malformed sidecar index: first_page: empty"},
		{"csv empty pages", "csv", "first_page,pages\n1,\n", 1, ErrSidecar, "line 2: mailpiece: malformed sidecar index: neither pages nor last_page"},
		{"csv wrong field count", "csv", "first_page,pages\n1,1,x\n", 1, ErrSidecar, "line 2"},
		{"csv bad quote", "csv", "first_page,pages,a\n1,1,x\"y\n", 1, ErrSidecar, "line 2"},
		{"csv gap names line", "csv", "first_page,pages\n1,1\n\n\n4,1\n", 4, ErrInconsistent, "line 5: mailpiece: piece index inconsistent with the print file: pages 2-3 between line 2 and this piece"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromSidecar(strings.NewReader(tc.in), tc.format, tc.pages, false)
			if err == nil {
				t.Fatalf("no error; pieces %+v", got)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %q does not wrap %q", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not say %q", err, tc.wantMsg)
			}
		})
	}
}

// endless is a reader that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestFromSidecarTooLarge(t *testing.T) {
	_, err := FromSidecar(endless{}, "json", 1, false)
	if !errors.Is(err, ErrSidecar) || !strings.Contains(err.Error(), "64 MiB") {
		t.Fatalf("error %v, want ErrSidecar naming the limit", err)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestFromSidecarReadError(t *testing.T) {
	if _, err := FromSidecar(failing{}, "json", 1, false); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want the reader's error", err)
	}
}

func TestSidecarFor(t *testing.T) {
	tests := map[string][]string{
		"/in/run.pdf":      {"/in/run.json", "/in/run.csv"},
		"/in/run.2024.PDF": {"/in/run.2024.json", "/in/run.2024.csv"},
		"run":              {"run.json", "run.csv"},
		"/in.d/run":        {"/in.d/run.json", "/in.d/run.csv"},
	}
	for in, want := range tests {
		if got := SidecarFor(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SidecarFor(%q) = %q, want %q", in, got, want)
		}
	}
}
