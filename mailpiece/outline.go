package mailpiece

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/omsd/omsd/meta"
)

// OutlineEntry is a top-level bookmark of a print file and the 1-based
// number of the page it points at.
type OutlineEntry struct {
	Title string
	Page  int
}

// FromOutline returns one piece per top-level bookmark of a print file of
// pageCount pages: a piece starts at its bookmark's page and ends before the
// next bookmark's page (the last one at the end of the file). Bookmarks must
// point at strictly ascending pages, the first at page 1.
//
// Meta field "title" holds the bookmark's title. If titleRe is not nil, the
// title must match it (anchor the pattern to match whole titles) and each
// named group becomes a meta field holding the text it matched; "title"
// keeps the whole title even if a group has that name. Without titleRe, a
// title of the form composers commonly write, KEY=VALUE;KEY=VALUE (e.g.
// "account=A1;postal_code=10115"), gives one field per pair.
func FromOutline(entries []OutlineEntry, pageCount int, titleRe *regexp.Regexp, duplex bool) ([]Piece, error) {
	if pageCount < 1 {
		return nil, fmt.Errorf("outline: %w: the print file has no pages", ErrInconsistent)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("outline: %w: the print file has no bookmarks", ErrInconsistent)
	}
	pieces := make([]Piece, 0, len(entries))
	b := meta.NewBuilder()
	for i, e := range entries {
		where := fmt.Sprintf("bookmark %d %q", i+1, e.Title)
		if err := checkEntry(where, entries, i, pageCount); err != nil {
			return nil, fmt.Errorf("outline: %w", err)
		}
		if err := titleMeta(b, e.Title, titleRe); err != nil {
			return nil, fmt.Errorf("outline: %s (page %d): %w", where, e.Page, err)
		}
		end := pageCount + 1 // the page after this piece
		if i+1 < len(entries) {
			end = entries[i+1].Page
		}
		pieces = append(pieces, newPiece(i+1, e.Page, end-e.Page, b.End(), duplex))
	}
	return pieces, nil
}

// checkEntry checks that entries[i] points into the file, after the
// previous entry, and at page 1 if it is the first.
func checkEntry(where string, entries []OutlineEntry, i, pageCount int) error {
	page := entries[i].Page
	switch {
	case page < 1 || page > pageCount:
		return inconsistent(where, "points at page %d, outside the print file's pages 1-%d", page, pageCount)
	case i == 0 && page > 1:
		return inconsistent(where, "pages 1-%d come before the first bookmark and belong to no piece", page-1)
	case i > 0 && page <= entries[i-1].Page:
		return inconsistent(where, "points at page %d, not after page %d of bookmark %d %q",
			page, entries[i-1].Page, i, entries[i-1].Title)
	}
	return nil
}

// titleMeta sets the meta fields of a bookmark title on the piece b
// builds.
func titleMeta(b *meta.Builder, title string, re *regexp.Regexp) error {
	if re == nil {
		pairsMeta(b, title)
	}
	if re != nil {
		m := re.FindStringSubmatch(title)
		if m == nil {
			return fmt.Errorf("%w %s", ErrTitle, re)
		}
		for i, name := range re.SubexpNames() {
			if name != "" {
				b.Set(name, m[i])
			}
		}
	}
	b.Set("title", title)
	return nil
}

// pairsMeta sets the fields of a title of the form KEY=VALUE;KEY=VALUE on
// the piece b builds (the first value of a key counts); a title of any
// other form sets nothing. Keys are letters, digits,
// '_', '-' and '.', starting with a letter or '_'; spaces around keys and
// values are dropped; a trailing ';' is allowed.
func pairsMeta(b *meta.Builder, title string) {
	var fields []string // key, value, …
	for part := range strings.SplitSeq(strings.TrimSuffix(strings.TrimSpace(title), ";"), ";") {
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || !isFieldName(k) {
			return
		}
		fields = append(fields, k, strings.TrimSpace(v))
	}
	for i := 0; i < len(fields); i += 2 {
		b.SetDefault(fields[i], fields[i+1])
	}
}

// isFieldName reports whether s can name a metadata field in a title.
func isFieldName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}
