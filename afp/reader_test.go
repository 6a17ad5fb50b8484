package afp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// sf encodes a structured field: introducer with flags and reserved, then
// the body (extension, data, padding as the flags say).
func sf(id uint32, flags byte, reserved uint16, body ...[]byte) []byte {
	n := 8
	for _, b := range body {
		n += len(b)
	}
	out := []byte{0x5A, byte(n >> 8), byte(n), byte(id >> 16), byte(id >> 8), byte(id), flags, byte(reserved >> 8), byte(reserved)}
	for _, b := range body {
		out = append(out, b...)
	}
	return out
}

// rdw prefixes a field with a record descriptor of length len(field)+extra.
func rdw(field []byte, extra int) []byte {
	n := len(field) + extra
	return append([]byte{byte(n >> 8), byte(n), 0, 0}, field...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var (
	bdt = sf(IDBDT, 0, 0, []byte("\xd6\xd4\xe2\xc4\x40\x40\x40\x40"))
	edt = sf(IDEDT, 0, 0, []byte("\xd6\xd4\xe2\xc4\x40\x40\x40\x40"))
)

// summary is what a test expects of a field read.
type summary struct {
	id              uint32
	ext, data, pad  string
	pre, trail      string
	offset          int64
	flags, reserved int
}

func summarize(f *Field) summary {
	return summary{id: f.ID, ext: string(f.Ext), data: string(f.Data), pad: string(f.Pad), pre: string(f.Pre),
		trail: string(f.Trail), offset: f.Offset, flags: int(f.Flags), reserved: int(f.Reserved)}
}

func readAll(t *testing.T, in []byte) []*Field {
	t.Helper()
	var fields []*Field
	r := NewReader(bytes.NewReader(in))
	for {
		f, err := r.Next()
		if err == io.EOF {
			return fields
		}
		if err != nil {
			t.Fatalf("after %d fields: %v", len(fields), err)
		}
		fields = append(fields, f)
	}
}

func TestReaderTolerates(t *testing.T) {
	nop := sf(IDNOP, 0, 0, []byte("hi"))
	tests := []struct {
		name string
		in   []byte
		want []summary
	}{
		{"record descriptors counting themselves", cat(rdw(nop, 4), rdw(edt, 4)), []summary{
			{id: IDNOP, data: "hi", pre: "\x00\x0f\x00\x00", offset: 4},
			{id: IDEDT, data: string(edt[9:]), pre: "\x00\x15\x00\x00", offset: 19}}},
		{"record descriptors not counting themselves", cat(rdw(nop, 0), rdw(edt, 0)), []summary{
			{id: IDNOP, data: "hi", pre: "\x00\x0b\x00\x00", offset: 4},
			{id: IDEDT, data: string(edt[9:]), pre: "\x00\x11\x00\x00", offset: 19}}},
		{"CR LF between and after records", cat(nop, []byte("\r\n"), edt, []byte("\r\n")), []summary{
			{id: IDNOP, data: "hi"},
			{id: IDEDT, data: string(edt[9:]), pre: "\r\n", trail: "\r\n", offset: 13}}},
		{"NUL filler", cat(nop, []byte{0, 0, 0}, edt), []summary{
			{id: IDNOP, data: "hi"},
			{id: IDEDT, data: string(edt[9:]), pre: "\x00\x00\x00", offset: 14}}},
		{"SFI extension", sf(IDNOP, FlagExt, 0, []byte{3, 'x', 'y'}, []byte("data")), []summary{
			{id: IDNOP, ext: "xy", data: "data", flags: 0x80}}},
		{"empty SFI extension", sf(IDNOP, FlagExt, 0, []byte{1}, []byte("d")), []summary{
			{id: IDNOP, data: "d", flags: 0x80}}},
		{"one-byte pad count", sf(IDNOP, FlagPad, 0, []byte("data"), []byte{0xAA, 0xAA, 3}), []summary{
			{id: IDNOP, data: "data", pad: "\xaa\xaa\x03", flags: 0x08}}},
		{"two-byte pad count", sf(IDNOP, FlagPad, 0, []byte("data"), []byte{0xAA, 0xAA, 0, 5, 0}), []summary{
			{id: IDNOP, data: "data", pad: "\xaa\xaa\x00\x05\x00", flags: 0x08}}},
		{"extension and padding", sf(IDNOP, FlagExt|FlagPad, 0, []byte{2, 'e'}, []byte("d"), []byte{1}), []summary{
			{id: IDNOP, ext: "e", data: "d", pad: "\x01", flags: 0x88}}},
		{"segmented", cat(sf(IDNOP, FlagSeg, 0, []byte("one")), sf(IDNOP, 0, 0, []byte("two"))), []summary{
			{id: IDNOP, data: "one", flags: 0x20},
			{id: IDNOP, data: "two", offset: 12}}},
		{"non-zero reserved", sf(IDBPG, 0, 0x1234, []byte("PAGE0001")), []summary{
			{id: IDBPG, data: "PAGE0001", reserved: 0x1234}}},
		{"unknown identifier and flag bits", sf(0xD3A7CA, 0x41, 0, []byte{1, 2, 3}), []summary{
			{id: 0xD3A7CA, data: "\x01\x02\x03", flags: 0x41}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := readAll(t, tt.in)
			if len(fields) != len(tt.want) {
				t.Fatalf("read %d fields, want %d", len(fields), len(tt.want))
			}
			for i, f := range fields {
				if got := summarize(f); got != tt.want[i] {
					t.Errorf("field %d:\n got %+v\nwant %+v", i, got, tt.want[i])
				}
			}
			out, _, err := roundTrip(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, tt.in) {
				t.Errorf("written back:\n% X\nwant\n% X", out, tt.in)
			}
		})
	}
}

// checkFormatError checks that err is a FormatError of the given kind, at
// the offset, naming the field.
func checkFormatError(t *testing.T, err error, sentinel error, offset int64, field string) {
	t.Helper()
	var fe *FormatError
	switch {
	case err == nil:
		t.Fatalf("no error, want %v at offset %d", sentinel, offset)
	case !errors.Is(err, sentinel):
		t.Fatalf("error %v, want %v", err, sentinel)
	case !errors.As(err, &fe):
		t.Fatalf("error %v is not a FormatError", err)
	case fe.Offset != offset || fe.Field != field:
		t.Fatalf("error %v: at offset %d in %q, want offset %d in %q", err, fe.Offset, fe.Field, offset, field)
	case !strings.Contains(err.Error(), fmt.Sprintf("offset %d", offset)) || !strings.Contains(err.Error(), field):
		t.Fatalf("message %q names neither offset %d nor field %q", err, offset, field)
	}
}

func TestReaderErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       []byte
		sentinel error
		offset   int64
		field    string
	}{
		{"only filler", []byte("\r\n\r\n"), ErrSyntax, 0, ""},
		{"garbage at the start", []byte("%PDF-1.4"), ErrSyntax, 0, ""},
		{"truncated introducer", []byte{0x5A, 0x00, 0x10, 0xD3}, ErrTruncated, 0, ""},
		{"truncated introducer after a field", cat(bdt, []byte{0x5A, 0, 0x10, 0xD3, 0xA8, 0xAD, 0}), ErrTruncated, 17, "BNG"},
		{"length past the end", cat(bdt, sf(IDBNG, 0, 0, []byte("PAGEGRP1"))[:14]), ErrTruncated, 17, "BNG"},
		{"length below 8", cat(bdt, []byte{0x5A, 0, 5, 0xD3, 0xA8, 0xAD, 0, 0, 0}), ErrLength, 17, "BNG"},
		{"garbage after EDT", cat(bdt, edt, []byte("junk")), ErrSyntax, 34, "EDT"},
		{"extension length 0", sf(IDNOP, FlagExt, 0, []byte{0, 1}), ErrField, 0, "NOP"},
		{"extension longer than the field", sf(IDNOP, FlagExt, 0, []byte{9, 1}), ErrField, 0, "NOP"},
		{"pad count past the start", sf(IDNOP, FlagPad, 0, []byte{1, 0x50}), ErrField, 0, "NOP"},
		{"two-byte pad count too small", sf(IDNOP, FlagPad, 0, []byte{1, 0, 2, 0}), ErrField, 0, "NOP"},
		{"record descriptor with wrong length", cat([]byte{0, 0x30, 0, 0}, edt), ErrSyntax, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tt.in))
			var err error
			for err == nil {
				_, err = r.Next()
			}
			checkFormatError(t, err, tt.sentinel, tt.offset, tt.field)
			if _, again := r.Next(); again != err {
				t.Errorf("error not sticky: then %v", again)
			}
		})
	}
}

func TestReaderEmpty(t *testing.T) {
	if _, err := NewReader(bytes.NewReader(nil)).Next(); err != io.EOF {
		t.Fatalf("empty input: %v, want io.EOF", err)
	}
}

func TestWriterRejects(t *testing.T) {
	tests := []struct {
		name string
		f    Field
	}{
		{"extension without flag", Field{ID: IDNOP, Ext: []byte("x")}},
		{"extension too long", Field{ID: IDNOP, Flags: FlagExt, Ext: make([]byte, 255)}},
		{"padding without flag", Field{ID: IDNOP, Pad: []byte{1}}},
		{"padding flag without padding", Field{ID: IDNOP, Flags: FlagPad}},
		{"padding with a wrong count", Field{ID: IDNOP, Flags: FlagPad, Pad: []byte{1, 1, 1}}},
		{"identifier of 4 bytes", Field{ID: 0x01D3A8A8}},
		{"too long", Field{ID: IDNOP, Data: make([]byte, maxLength)}},
		{"garbage before", Field{ID: IDNOP, Pre: []byte("x")}},
		{"record descriptor of another length", Field{ID: IDNOP, Pre: []byte{0, 0x30, 0, 0}}},
		{"garbage after", Field{ID: IDNOP, Trail: []byte("x")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := NewWriter(&out)
			if err := w.WriteField(&tt.f); !errors.Is(err, ErrField) {
				t.Fatalf("got %v, want ErrField", err)
			}
			ok := &Field{ID: IDNOP, Data: []byte("ok")}
			if err := w.WriteField(ok); err != nil {
				t.Fatalf("a refused field stopped the writer: %v", err)
			}
			if err := w.Flush(); err != nil || !bytes.Equal(out.Bytes(), sf(IDNOP, 0, 0, []byte("ok"))) {
				t.Fatalf("wrote % X (%v), want only the good field", out.Bytes(), err)
			}
		})
	}
}

func TestWriterComputesLength(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	f := &Field{ID: IDNOP, Flags: FlagExt | FlagPad, Ext: []byte("e"), Data: []byte("data"), Pad: []byte{2, 2}, Pre: []byte{0, 0x15, 0, 0}}
	if err := w.WriteField(f); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := cat([]byte{0, 0x15, 0, 0}, sf(IDNOP, 0x88, 0, []byte{2, 'e'}, []byte("data"), []byte{2, 2}))
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("wrote % X, want % X", out.Bytes(), want)
	}
	if f.Length() != 16 || f.Size() != 17 {
		t.Errorf("Length %d Size %d, want 16 and 17", f.Length(), f.Size())
	}
}
