package mailpiece

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// csvColumns says which column holds what; -1 for an absent column.
type csvColumns struct {
	first, pages, last int
	meta               []metaColumn // in column order
}

// metaColumn is a column that becomes a meta field.
type metaColumn struct {
	col  int
	name string
}

// decodeCSV reads the CSV form into b: a header row, then one row per
// piece, row by row.
func decodeCSV(src io.Reader, b *builder) error {
	br := bufio.NewReader(src)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" { // byte order mark from spreadsheets
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: empty CSV, no header row", ErrSidecar)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSidecar, err)
	}
	cols, err := csvHeader(header)
	if err != nil {
		return err
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrSidecar, err)
		}
		if blank(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		if err := cols.add(b, place{"line", line}, rec); err != nil {
			return err
		}
	}
}

// csvHeader maps the header's column names.
func csvHeader(header []string) (csvColumns, error) {
	cols := csvColumns{first: -1, pages: -1, last: -1}
	seen := map[string]bool{}
	for i, name := range header {
		name = strings.TrimSpace(name)
		key := strings.ToLower(name)
		switch {
		case name == "":
			return cols, fmt.Errorf("line 1: %w: column %d has no name", ErrSidecar, i+1)
		case seen[key]:
			return cols, fmt.Errorf("line 1: %w: column %q appears twice", ErrSidecar, name)
		case key == "first_page":
			cols.first = i
		case key == "pages":
			cols.pages = i
		case key == "last_page":
			cols.last = i
		default:
			cols.meta = append(cols.meta, metaColumn{i, name})
		}
		seen[key] = true
	}
	if cols.first < 0 {
		return cols, fmt.Errorf("line 1: %w: no first_page column", ErrSidecar)
	}
	if cols.pages < 0 && cols.last < 0 {
		return cols, fmt.Errorf("line 1: %w: neither a pages nor a last_page column", ErrSidecar)
	}
	return cols, nil
}

// add reads one row into b. The csv reader has checked that the row has as
// many cells as the header.
func (c csvColumns) add(b *builder, where place, rec []string) error {
	s, err := c.span(where, rec)
	if err != nil {
		return err
	}
	if b.err == nil {
		for _, m := range c.meta {
			b.pieces.field(m.name, rec[m.col])
		}
	}
	b.add(s)
	return nil
}

// span reads the page numbers of one row.
func (c csvColumns) span(where place, rec []string) (span, error) {
	s := span{where: where}
	first, ok, err := cell(rec, c.first)
	if err == nil && !ok {
		err = errors.New("empty")
	}
	if err != nil {
		return s, fmt.Errorf("%s: %w: first_page: %v", where, ErrSidecar, err)
	}
	s.first = first
	if s.pages, s.hasPages, err = cell(rec, c.pages); err != nil {
		return s, fmt.Errorf("%s: %w: pages: %v", where, ErrSidecar, err)
	}
	if s.last, s.hasLast, err = cell(rec, c.last); err != nil {
		return s, fmt.Errorf("%s: %w: last_page: %v", where, ErrSidecar, err)
	}
	if !s.hasPages && !s.hasLast {
		return s, fmt.Errorf("%s: %w: neither pages nor last_page given", where, ErrSidecar)
	}
	return s, nil
}

// cell reads the whole number in column i of rec. An empty cell, or a
// column that is not there (i < 0), is absent: ok is false.
func cell(rec []string, i int) (n int, ok bool, err error) {
	if i < 0 {
		return 0, false, nil
	}
	v := strings.TrimSpace(rec[i])
	if v == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(v)
	if err != nil {
		return 0, false, fmt.Errorf("want a whole number, got %q", v)
	}
	return n, true, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
