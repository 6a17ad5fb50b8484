// # Sidecar index format
//
// A sidecar index lies beside the print file and has its name with the
// extension .json or .csv instead of the print file's own (statement.pdf:
// statement.json or statement.csv; see SidecarFor). It lists the mail pieces
// in page order; page numbers are 1-based.
//
// JSON: an object whose "pieces" member is an array of pieces (other
// members are ignored), or that array alone:
//
//	{"pieces": [
//	  {"first_page": 1, "pages": 2, "meta": {"account": "A1", "postal_code": "10115"}},
//	  {"first_page": 3, "last_page": 3, "meta": {"account": "A2"}}
//	]}
//
// A piece has "first_page", and "pages" (its page count) or "last_page" (its
// last page) or both, which must then agree; "meta" is optional and maps
// field names to values. Values are strings; numbers and booleans are taken
// as written (12345, true), null as the empty string. Any other member of a
// piece is an error, so a misspelt field name does not go unnoticed.
//
// CSV (RFC 4180, comma-separated): a header row naming the columns, then one
// row per piece. The columns first_page and pages (or last_page, or both) are
// required; header names are matched ignoring case and surrounding spaces.
// Every other column becomes a meta field named by its header. Spaces at
// the start of a cell are ignored, blank lines are skipped, and every row has
// as many cells as the header.
//
//	first_page,pages,account,postal_code
//	1,2,A1,10115
//	3,1,A2,80331
//
// The index must fit the print file: every piece starts and ends within the
// file, pieces come in page order without overlapping, every page belongs to
// exactly one piece, and there is at least one piece. Otherwise reading it
// fails with ErrInconsistent, naming the piece (JSON) or line (CSV) and the
// pages at fault. A sidecar index may be at most 64 MiB.
package mailpiece

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// MaxSidecarSize is the largest sidecar index FromSidecar reads.
const MaxSidecarSize = 64 << 20

// FromSidecar reads a sidecar index in the given format ("json" or "csv")
// and returns its pieces, checked against a print file of pageCount pages
// printed simplex or duplex.
func FromSidecar(r io.Reader, format string, pageCount int, duplex bool) ([]Piece, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSidecarSize+1))
	if err != nil {
		return nil, fmt.Errorf("sidecar: %w", err)
	}
	if len(data) > MaxSidecarSize {
		return nil, fmt.Errorf("sidecar: %w: larger than %d MiB", ErrSidecar, MaxSidecarSize>>20)
	}
	var spans []span
	switch strings.ToLower(format) {
	case "json":
		spans, err = parseJSON(data)
	case "csv":
		spans, err = parseCSV(data)
	default:
		return nil, fmt.Errorf("sidecar: unknown format %q (want json or csv)", format)
	}
	if err != nil {
		return nil, fmt.Errorf("sidecar: %w", err)
	}
	pieces, err := build(spans, pageCount, duplex)
	if err != nil {
		return nil, fmt.Errorf("sidecar: %w", err)
	}
	return pieces, nil
}

// SidecarFor returns the paths where a sidecar index for the print file at
// path may lie, in order of preference: for dir/X.pdf, dir/X.json and
// dir/X.csv.
func SidecarFor(path string) []string {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	return []string{base + ".json", base + ".csv"}
}

// parseJSON reads the JSON form: {"pieces": [...]} or a bare array.
func parseJSON(data []byte) ([]span, error) {
	var raw []map[string]json.RawMessage
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSidecar, err)
		}
	} else {
		var doc struct {
			Pieces *[]map[string]json.RawMessage `json:"pieces"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSidecar, err)
		}
		if doc.Pieces == nil {
			return nil, fmt.Errorf("%w: no \"pieces\" array", ErrSidecar)
		}
		raw = *doc.Pieces
	}
	spans := make([]span, 0, len(raw))
	for i, fields := range raw {
		s, err := jsonSpan(fmt.Sprintf("piece %d", i+1), fields)
		if err != nil {
			return nil, err
		}
		spans = append(spans, s)
	}
	return spans, nil
}

func jsonSpan(where string, fields map[string]json.RawMessage) (span, error) {
	s := span{where: where}
	if fields == nil { // the piece was null
		return s, fmt.Errorf("%s: %w: null instead of a piece", where, ErrSidecar)
	}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		v, err := fields[key], error(nil)
		switch key {
		case "first_page":
			err = json.Unmarshal(v, &s.first)
		case "pages":
			s.hasPages, err = true, json.Unmarshal(v, &s.pages)
		case "last_page":
			s.hasLast, err = true, json.Unmarshal(v, &s.last)
		case "meta":
			s.meta, err = jsonMeta(v)
		default:
			return s, fmt.Errorf("%s: %w: unknown field %q", where, ErrSidecar, key)
		}
		if err != nil {
			return s, fmt.Errorf("%s: %w: %s: %v", where, ErrSidecar, key, err)
		}
	}
	if _, ok := fields["first_page"]; !ok {
		return s, fmt.Errorf("%s: %w: no first_page", where, ErrSidecar)
	}
	if !s.hasPages && !s.hasLast {
		return s, fmt.Errorf("%s: %w: neither pages nor last_page", where, ErrSidecar)
	}
	return s, nil
}

// jsonMeta reads a meta object whose values are strings, numbers, booleans
// or null.
func jsonMeta(v json.RawMessage) (map[string]string, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(v, &raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, nil
	}
	meta := make(map[string]string, len(raw))
	for key, val := range raw {
		s, err := jsonScalar(val)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", key, err)
		}
		meta[key] = s
	}
	return meta, nil
}

func jsonScalar(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0:
		return "", fmt.Errorf("empty value")
	case v[0] == '"':
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	case string(v) == "null":
		return "", nil
	case v[0] == '{' || v[0] == '[':
		return "", fmt.Errorf("want a string, number or boolean, got %.20s", v)
	}
	return string(v), nil // a number, true or false, as written
}
