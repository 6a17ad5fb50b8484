package records

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Writer writes records of one layout, one line each, ended by "\n".
type Writer struct {
	l      *Layout
	w      *bufio.Writer
	csv    *csv.Writer
	header bool // the CSV header was written
}

// NewWriter returns a writer of records in layout l to w. Call Flush at the
// end.
func NewWriter(w io.Writer, l *Layout) *Writer {
	bw := bufio.NewWriter(w)
	wr := &Writer{l: l, w: bw}
	if l.Kind == KindCSV {
		wr.csv = csv.NewWriter(bw)
		wr.csv.Comma, _ = utf8.DecodeRuneInString(l.Comma)
	}
	return wr
}

// Write writes one record of type typ, each field's template filled from
// values (piece fields such as "seq" or "meta.name").
func (w *Writer) Write(typ string, values map[string]string) error {
	return w.write(typ, values, false)
}

// WriteRecord writes a record as read: each field from its own name in
// rec.Fields, templates unused (a literal field keeps its literal).
func (w *Writer) WriteRecord(rec Record) error {
	return w.write(rec.Type, rec.Fields, true)
}

func (w *Writer) write(typ string, values map[string]string, byName bool) error {
	r, ok := w.l.Record(typ)
	if !ok {
		return fmt.Errorf("%w: %s has no record type %q", ErrLayout, w.l.Name, typ)
	}
	if w.csv != nil {
		return w.writeCSV(r, values, byName)
	}
	line, err := encodeFixed(r, values, byName)
	if err != nil {
		return fmt.Errorf("%s record: %w", typ, err)
	}
	if _, err := w.w.WriteString(line); err != nil {
		return err
	}
	return w.w.WriteByte('\n')
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.w.Flush()
}

func (w *Writer) writeCSV(r *RecordType, values map[string]string, byName bool) error {
	if w.l.Header && !w.header {
		names := make([]string, len(r.Fields))
		for i, f := range r.Fields {
			names[i] = f.Name
		}
		if err := w.csv.Write(names); err != nil {
			return err
		}
		w.header = true
	}
	row := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		v, err := fieldValue(f, values, byName)
		if err != nil {
			return fmt.Errorf("%s record: field %s: %w", r.Type, f.Name, err)
		}
		row[i] = v
	}
	return w.csv.Write(row)
}

// encodeFixed lays out one fixed-width line.
func encodeFixed(r *RecordType, values map[string]string, byName bool) (string, error) {
	line := []rune(strings.Repeat(" ", r.Length))
	if r.Tag != "" {
		copy(line[r.TagStart-1:], []rune(r.Tag))
	}
	for _, f := range r.Fields {
		v, err := fieldValue(f, values, byName)
		if err != nil {
			return "", fmt.Errorf("field %s: %w", f.Name, err)
		}
		cell, err := pad(f, v)
		if err != nil {
			return "", fmt.Errorf("field %s: %w", f.Name, err)
		}
		copy(line[f.Start-1:], cell)
	}
	return string(line), nil
}

// fieldValue renders f's template (or, byName, takes values[f.Name] unless
// the field is a literal); values with line breaks are refused.
func fieldValue(f Field, values map[string]string, byName bool) (string, error) {
	t, err := parseTemplate(f.Value)
	if err != nil {
		return "", err
	}
	v := t.render(values)
	if _, lit := t.literal(); byName && !lit {
		v = values[f.Name]
	}
	if strings.ContainsAny(v, "\r\n") {
		return "", fmt.Errorf("value %q holds a line break", v)
	}
	return v, nil
}

// pad fits v into the field's length with its alignment and pad. An empty
// value leaves the field blank, so that it reads back empty.
func pad(f Field, v string) ([]rune, error) {
	rs := []rune(v)
	if len(rs) == 0 {
		return []rune(strings.Repeat(" ", f.Length)), nil
	}
	if len(rs) > f.Length {
		if !f.Truncate {
			return nil, fmt.Errorf("value %q has %d characters, the field %d", v, len(rs), f.Length)
		}
		rs = rs[:f.Length]
	}
	fill := []rune(strings.Repeat(f.Pad, f.Length-len(rs)))
	if f.Align == "right" {
		return append(fill, rs...), nil
	}
	return append(rs, fill...), nil
}
