package records

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Record is one line read from a file.
type Record struct {
	Line   int               // 1-based line number in the file
	Type   string            // the record type, e.g. "piece"
	Fields map[string]string // field values, pad removed
}

// LineError is a line that does not fit the layout. The Reader goes on with
// the next line.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ErrLine is wrapped by every LineError's Err.
var ErrLine = errors.New("records: malformed line")

// Reader reads records of one layout.
type Reader struct {
	l       *Layout
	br      *bufio.Reader
	line    int
	columns []string // CSV: field name of each column
	err     error    // sticky: I/O error or a bad CSV header
}

// NewReader returns a reader of records in layout l from r.
func NewReader(r io.Reader, l *Layout) *Reader {
	return &Reader{l: l, br: bufio.NewReaderSize(r, MaxLineLength+2)}
}

// Read returns the next record, io.EOF at the end. A malformed line gives a
// *LineError and the next call reads on; any other error is final. Empty
// lines are skipped.
func (r *Reader) Read() (Record, error) {
	for r.err == nil {
		raw, err := r.readLine()
		if err != nil {
			return Record{}, err
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		if !utf8.Valid(raw) {
			return Record{}, r.lineErr("not UTF-8 text")
		}
		if r.l.Kind == KindCSV {
			rec, done, err := r.readCSV(string(raw))
			if done {
				return rec, err
			}
			continue
		}
		return r.readFixed(string(raw))
	}
	return Record{}, r.err
}

// readLine returns the next line without its ending. A line longer than
// MaxLineLength is skipped whole and reported.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	r.line++
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = r.br.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			r.err = err
		}
		return nil, r.lineErr(fmt.Sprintf("longer than %d bytes", MaxLineLength))
	}
	if err == io.EOF && len(line) == 0 {
		r.err = io.EOF
		return nil, io.EOF
	}
	if err != nil && err != io.EOF {
		r.err = err
		return nil, err
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

func (r *Reader) lineErr(msg string) error {
	return &LineError{Line: r.line, Err: fmt.Errorf("%w: %s", ErrLine, msg)}
}

// readFixed decodes one fixed-width line.
func (r *Reader) readFixed(s string) (Record, error) {
	line := []rune(s)
	rt := r.recordTypeOf(line)
	if rt == nil {
		return Record{}, r.lineErr(fmt.Sprintf("no record type of %s starts like %q", r.l.Name, head(s)))
	}
	if need := requiredEnd(rt); len(line) < need {
		return Record{}, r.lineErr(fmt.Sprintf("%s record has %d characters, its required fields need %d", rt.Type, len(line), need))
	}
	if len(line) > rt.Length && strings.TrimSpace(string(line[rt.Length:])) != "" {
		return Record{}, r.lineErr(fmt.Sprintf("%s record has %d characters, at most %d", rt.Type, len(line), rt.Length))
	}
	rec := Record{Line: r.line, Type: rt.Type, Fields: make(map[string]string, len(rt.Fields))}
	for _, f := range rt.Fields {
		v := unpad(f, cut(line, f.Start-1, f.Start-1+f.Length))
		if err := check(f, v); err != nil {
			return Record{}, r.lineErr(err.Error())
		}
		rec.Fields[f.Name] = v
	}
	return rec, nil
}

// requiredEnd is the column where the record's last required field ends;
// a line may stop after it (trailing blanks cut off), the fields beyond
// read as what is there.
func requiredEnd(rt *RecordType) int {
	end := 0
	for _, f := range rt.Fields {
		if f.Required {
			end = max(end, f.Start+f.Length-1)
		}
	}
	return end
}

// cut is line[from:to], clipped to the line.
func cut(line []rune, from, to int) string {
	if from >= len(line) {
		return ""
	}
	return string(line[from:min(to, len(line))])
}

// recordTypeOf finds the record type whose tag the line carries.
func (r *Reader) recordTypeOf(line []rune) *RecordType {
	for i := range r.l.Records {
		rt := &r.l.Records[i]
		if rt.Tag == "" {
			return rt
		}
		tag := []rune(rt.Tag)
		at := rt.TagStart - 1
		if at+len(tag) <= len(line) && string(line[at:at+len(tag)]) == rt.Tag {
			return rt
		}
	}
	return nil
}

// unpad removes the field's pad on its aligned side. A field of nothing but
// a non-space pad ("0000") keeps one pad character.
func unpad(f Field, v string) string {
	var out string
	if f.Align == "right" {
		out = strings.TrimLeft(v, f.Pad)
		out = strings.TrimRight(out, " ")
	} else {
		out = strings.TrimRight(v, f.Pad)
		out = strings.TrimRight(out, " ")
	}
	if out == "" && f.Pad != " " && strings.TrimSpace(v) != "" {
		return f.Pad
	}
	return out
}

// check applies the field's rules to a value read.
func check(f Field, v string) error {
	if f.Required && v == "" {
		return fmt.Errorf("field %s is empty", f.Name)
	}
	t, _ := parseTemplate(f.Value)
	if lit, ok := t.literal(); ok && v != strings.TrimSpace(lit) {
		return fmt.Errorf("field %s is %q, want %q", f.Name, v, lit)
	}
	return nil
}

// readCSV decodes one CSV line; done is false for the header line.
func (r *Reader) readCSV(s string) (Record, bool, error) {
	cr := csv.NewReader(strings.NewReader(s))
	cr.Comma, _ = utf8.DecodeRuneInString(r.l.Comma)
	cr.FieldsPerRecord = -1
	cells, err := cr.Read()
	if err != nil {
		return Record{}, true, r.lineErr("csv: " + err.Error())
	}
	rt := &r.l.Records[0]
	if r.columns == nil {
		if r.l.Header {
			r.err = r.takeHeader(rt, cells)
			return Record{}, r.err != nil, r.err
		}
		for _, f := range rt.Fields {
			r.columns = append(r.columns, f.Name)
		}
	}
	if len(cells) != len(r.columns) {
		return Record{}, true, r.lineErr(fmt.Sprintf("%d columns, the header has %d", len(cells), len(r.columns)))
	}
	rec := Record{Line: r.line, Type: rt.Type, Fields: make(map[string]string, len(cells))}
	for i, c := range cells {
		rec.Fields[r.columns[i]] = strings.TrimSpace(c)
	}
	for _, f := range rt.Fields {
		if err := check(f, rec.Fields[f.Name]); err != nil {
			return Record{}, true, r.lineErr(err.Error())
		}
	}
	return rec, true, nil
}

// takeHeader records the column names; every required field needs one. A
// bad header is final: the file cannot be read without it.
func (r *Reader) takeHeader(rt *RecordType, cells []string) error {
	seen := map[string]bool{}
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if seen[c] {
			return fmt.Errorf("header line %d: %w: names column %q twice", r.line, ErrLine, c)
		}
		seen[c] = true
		r.columns = append(r.columns, c)
	}
	for _, f := range rt.Fields {
		if f.Required && !seen[f.Name] {
			return fmt.Errorf("header line %d: %w: lacks column %q", r.line, ErrLine, f.Name)
		}
	}
	return nil
}

func head(s string) string {
	if r := []rune(s); len(r) > 12 {
		return string(r[:12]) + "…"
	}
	return s
}
