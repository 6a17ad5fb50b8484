package mailpiece

import (
	"errors"
	"fmt"
)

// ErrInconsistent reports a piece index that does not fit the print file:
// pages outside the file, overlapping or unordered pieces, pages that belong
// to no piece, or no piece at all.
var ErrInconsistent = errors.New("mailpiece: piece index inconsistent with the print file")

// ErrSidecar reports a sidecar index that cannot be read: bad syntax, a
// missing or unknown field, a value of the wrong type, or too large a file.
var ErrSidecar = errors.New("mailpiece: malformed sidecar index")

// ErrTitle reports a bookmark title that does not match the title pattern.
var ErrTitle = errors.New("mailpiece: bookmark title does not match the pattern")

// span is one piece as an index states it, before it is checked against the
// print file. Either pages or last (or both) are set.
type span struct {
	where    string // "piece 3", "line 5": names the entry in errors
	first    int
	pages    int
	last     int
	hasPages bool
	hasLast  bool
	meta     map[string]string
}

func inconsistent(where, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s", where, ErrInconsistent, fmt.Sprintf(format, args...))
}

// resolve checks s against a print file of pageCount pages and returns its
// first and last page.
func (s span) resolve(pageCount int) (first, last int, err error) {
	if s.first < 1 || s.first > pageCount {
		return 0, 0, inconsistent(s.where, "first page %d outside the print file's pages 1-%d", s.first, pageCount)
	}
	room := pageCount - s.first + 1 // pages from first to the end of the file
	switch {
	case s.hasPages && s.pages < 1:
		return 0, 0, inconsistent(s.where, "%d pages; a piece has at least one", s.pages)
	case s.hasPages && s.pages > room:
		return 0, 0, inconsistent(s.where, "%d pages from page %d run past the print file's last page %d", s.pages, s.first, pageCount)
	case s.hasLast && s.last < s.first:
		return 0, 0, inconsistent(s.where, "last page %d comes before first page %d", s.last, s.first)
	case s.hasLast && s.last > pageCount:
		return 0, 0, inconsistent(s.where, "last page %d outside the print file's pages 1-%d", s.last, pageCount)
	case s.hasPages && s.hasLast && s.last-s.first+1 != s.pages:
		return 0, 0, inconsistent(s.where, "pages %d and last page %d disagree for first page %d", s.pages, s.last, s.first)
	case s.hasPages:
		return s.first, s.first + s.pages - 1, nil
	case s.hasLast:
		return s.first, s.last, nil
	}
	return 0, 0, fmt.Errorf("%s: %w: neither pages nor last_page given", s.where, ErrSidecar)
}

// build checks spans against a print file of pageCount pages (in range, in
// page order, no overlap, every page in a piece) and returns the pieces.
func build(spans []span, pageCount int, duplex bool) ([]Piece, error) {
	if pageCount < 1 {
		return nil, fmt.Errorf("%w: the print file has no pages", ErrInconsistent)
	}
	if len(spans) == 0 {
		return nil, fmt.Errorf("%w: the index lists no pieces", ErrInconsistent)
	}
	var pieces []Piece
	prevLast, prevWhere := 0, ""
	for _, s := range spans {
		first, last, err := s.resolve(pageCount)
		if err != nil {
			return nil, err
		}
		if err := follows(s.where, first, last, prevWhere, prevLast, pieces); err != nil {
			return nil, err
		}
		pieces = append(pieces, newPiece(len(pieces)+1, first, last-first+1, s.meta, duplex))
		prevLast, prevWhere = last, s.where
	}
	if prevLast < pageCount {
		return nil, inconsistent(prevWhere, "pages %d-%d after the last piece belong to no piece", prevLast+1, pageCount)
	}
	return pieces, nil
}

// follows checks that pages first-last come right after the previous piece,
// which ended at prevLast.
func follows(where string, first, last int, prevWhere string, prevLast int, pieces []Piece) error {
	switch {
	case len(pieces) == 0 && first > 1:
		return inconsistent(where, "pages 1-%d before the first piece belong to no piece", first-1)
	case len(pieces) > 0 && first < pieces[len(pieces)-1].FirstPage:
		return inconsistent(where, "pages %d-%d come before those of %s: pieces must be in page order", first, last, prevWhere)
	case len(pieces) > 0 && first <= prevLast:
		return inconsistent(where, "pages %d-%d overlap %s, which ends at page %d", first, last, prevWhere, prevLast)
	case first > prevLast+1:
		return inconsistent(where, "pages %d-%d between %s and this piece belong to no piece", prevLast+1, first-1, prevWhere)
	}
	return nil
}

func newPiece(seq, first, pages int, meta map[string]string, duplex bool) Piece {
	return Piece{Seq: seq, FirstPage: first, Pages: pages, Sheets: SheetsFor(pages, duplex), Meta: meta}
}
