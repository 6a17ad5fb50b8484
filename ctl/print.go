package ctl

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
)

// printJSON writes v indented, exactly the API document.
func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// table prints aligned columns.
type table struct {
	tw *tabwriter.Writer
}

// newTable starts a table on w with a header row.
func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)}
	t.row(header...)
	return t
}

// row adds a row; empty cells show as "-".
func (t *table) row(cells ...string) {
	for i, c := range cells {
		if i > 0 {
			io.WriteString(t.tw, "\t")
		}
		io.WriteString(t.tw, cell(c))
	}
	io.WriteString(t.tw, "\n")
}

// flush writes the table out.
func (t *table) flush() error { return t.tw.Flush() }

// cell makes s safe for a table cell: never empty, no tabs, newlines or
// other control characters (file names come from outside).
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return clean(s)
}

// clean replaces control characters in s with '?'.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// reasons joins state reasons; "none" alone shows as nothing.
func reasons(rs []string) string {
	if len(rs) == 1 && rs[0] == "none" {
		return ""
	}
	return strings.Join(rs, ",")
}

// timeFormat is how times are shown in tables.
const timeFormat = "2006-01-02 15:04:05"

// fmtTime formats t in local time, or "-" for the zero time.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format(timeFormat)
}

// yesNo is "yes" or "no".
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
