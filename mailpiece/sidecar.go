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
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// MaxSidecarSize is the largest sidecar index FromSidecar reads.
const MaxSidecarSize = 64 << 20

// errTooLarge reports a sidecar index past MaxSidecarSize.
var errTooLarge = fmt.Errorf("%w: larger than %d MiB", ErrSidecar, MaxSidecarSize>>20)

// FromSidecar reads a sidecar index in the given format ("json" or "csv")
// and returns its pieces, checked against a print file of pageCount pages
// printed simplex or duplex.
//
// The index is read as a stream into a compact form (see compact), so that
// memory follows the pieces' content, not the size of a decoded document.
func FromSidecar(r io.Reader, format string, pageCount int, duplex bool) ([]Piece, error) {
	return fromSidecar(r, format, pageCount, duplex, MaxSidecarSize)
}

// fromSidecar is FromSidecar with a size limit of its own.
func fromSidecar(r io.Reader, format string, pageCount int, duplex bool, limit int64) ([]Piece, error) {
	src := &capped{r: r, left: limit}
	b := newBuilder(pageCount, duplex)
	var err error
	switch strings.ToLower(format) {
	case "json":
		err = decodeJSON(src, b)
	case "csv":
		err = decodeCSV(src, b)
	default:
		return nil, fmt.Errorf("sidecar: unknown format %q (want json or csv)", format)
	}
	if src.err != nil {
		err = src.err // the reader's own error, or the size limit
	}
	if err != nil {
		return nil, fmt.Errorf("sidecar: %w", err)
	}
	pieces, err := b.finish()
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

// capped reads at most MaxSidecarSize bytes from r and keeps the first error
// other than io.EOF: the reader's own, or errTooLarge past the limit.
type capped struct {
	r    io.Reader
	left int64
	err  error
}

func (c *capped) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1] // one byte past the limit tells a larger file
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	switch {
	case c.left < 0:
		c.err = errTooLarge
		return 0, c.err
	case err != nil && !errors.Is(err, io.EOF):
		c.err = err
	}
	return n, err
}
