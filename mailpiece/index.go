package mailpiece

import (
	"errors"
	"fmt"

	"github.com/omsd/omsd/meta"
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

// place names an entry of an index in errors: "piece 3", "line 5". It is
// formatted only when an error needs it.
type place struct {
	kind string // "piece" or "line"
	n    int
}

func (p place) String() string { return fmt.Sprintf("%s %d", p.kind, p.n) }

// span is one piece as an index states it, before it is checked against the
// print file. Either pages or last (or both) are set. Its metadata is kept
// by the decoder that reads it (see compact).
type span struct {
	where    place
	first    int
	pages    int
	last     int
	hasPages bool
	hasLast  bool
}

func inconsistent(where any, format string, args ...any) error {
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

// builder checks spans against a print file of pageCount pages as a decoder
// reads them (in range, in page order, no overlap, every page in a piece)
// and keeps the pieces in compact form. It keeps the first inconsistency
// and ignores the spans after it, so that the decoder can still report a
// malformed index further on, which takes precedence.
type builder struct {
	pageCount int
	duplex    bool
	pieces    compact
	err       error // the first inconsistency
	prevFirst int
	prevLast  int
	prevWhere place
}

func newBuilder(pageCount int, duplex bool) *builder {
	return &builder{pageCount: pageCount, duplex: duplex, pieces: newCompact()}
}

// add checks s, whose metadata the decoder has put into b.pieces as pending
// fields, and keeps it as the next piece.
func (b *builder) add(s span) {
	if b.err != nil || b.pageCount < 1 {
		b.pieces.dropPending()
		return
	}
	first, last, err := s.resolve(b.pageCount)
	if err == nil {
		err = b.follows(s.where, first, last)
	}
	if err != nil {
		b.err = err
		b.pieces.dropPending()
		return
	}
	b.pieces.add(last - first + 1)
	b.prevFirst, b.prevLast, b.prevWhere = first, last, s.where
}

// follows checks that pages first-last come right after the previous piece.
func (b *builder) follows(where place, first, last int) error {
	n := b.pieces.len()
	switch {
	case n == 0 && first > 1:
		return inconsistent(where, "pages 1-%d before the first piece belong to no piece", first-1)
	case n > 0 && first < b.prevFirst:
		return inconsistent(where, "pages %d-%d come before those of %s: pieces must be in page order", first, last, b.prevWhere)
	case n > 0 && first <= b.prevLast:
		return inconsistent(where, "pages %d-%d overlap %s, which ends at page %d", first, last, b.prevWhere, b.prevLast)
	case first > b.prevLast+1:
		return inconsistent(where, "pages %d-%d between %s and this piece belong to no piece", b.prevLast+1, first-1, b.prevWhere)
	}
	return nil
}

// finish returns the pieces, or the first inconsistency found.
func (b *builder) finish() ([]Piece, error) {
	switch {
	case b.pageCount < 1:
		return nil, fmt.Errorf("%w: the print file has no pages", ErrInconsistent)
	case b.err != nil:
		return nil, b.err
	case b.pieces.len() == 0:
		return nil, fmt.Errorf("%w: the index lists no pieces", ErrInconsistent)
	case b.prevLast < b.pageCount:
		return nil, inconsistent(b.prevWhere, "pages %d-%d after the last piece belong to no piece", b.prevLast+1, b.pageCount)
	}
	return b.pieces.expand(b.duplex), nil
}

func newPiece(seq, first, pages int, m meta.Fields, duplex bool) Piece {
	return Piece{Seq: seq, FirstPage: first, Pages: pages, Sheets: SheetsFor(pages, duplex), Meta: m}
}
