// Package pdftest writes PDF mail runs for tests: a sequence of mail pieces,
// each of a given number of pages, optionally with one bookmark per piece, a
// balanced page tree, a shared logo image, a PDF/VT document part tree with
// metadata per piece, page labels, and a sidecar index describing the pieces.
//
// Files are written by hand, without any PDF library, so that they can serve
// as independent input to the code under test. Page j of piece i shows the
// text "piece i page j" (both 1-based) in Helvetica, so a text extractor such
// as pdftotext can tell which page ended up where.
package pdftest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// Options describe a mail run.
type Options struct {
	// Pieces holds the number of pages of each piece, in order; e.g. {2, 1, 3}.
	Pieces []int
	// Bookmarks adds one top-level outline entry per piece, pointing at the
	// piece's first page and titled by Title.
	Bookmarks bool
	// Title names piece i (0-based) in its bookmark; nil means "Piece %d"
	// with i+1.
	Title func(i int) string
	// Balanced builds a page tree whose nodes have at most 10 kids, instead
	// of one node holding every page. With DPart, it also puts a level of
	// group nodes (10 records each) between the document part root and the
	// records.
	Balanced bool
	// Logo draws one shared image XObject, a small grey logo, on every page.
	Logo bool
	// Inherit puts the resources and the media box on the root of the page
	// tree, for the pages to inherit, instead of on every page.
	Inherit bool
	// DPart adds a PDF/VT document part tree: one record per piece, its
	// /Start and /End pages (no /End on one-page pieces) and /DPM metadata
	// << /account (Account(i)) /postal_code (PostalCode(i)) >>; every page
	// points at its record with /DPart.
	DPart bool
	// PageLabels labels the pages of piece i PageLabel(i, j), one label
	// range per piece.
	PageLabels bool
}

// ErrOptions reports options that describe no valid file.
var ErrOptions = errors.New("pdftest: invalid options")

func (o Options) check() error {
	if len(o.Pieces) == 0 {
		return fmt.Errorf("%w: no pieces", ErrOptions)
	}
	for i, n := range o.Pieces {
		if n < 1 {
			return fmt.Errorf("%w: piece %d has %d pages", ErrOptions, i+1, n)
		}
	}
	return nil
}

// title is the bookmark title of piece i (0-based).
func (o Options) title(i int) string {
	if o.Title != nil {
		return o.Title(i)
	}
	return fmt.Sprintf("Piece %d", i+1)
}

// PageCount is the number of pages of the run.
func (o Options) PageCount() int {
	n := 0
	for _, p := range o.Pieces {
		n += p
	}
	return n
}

// PageText is the text shown on page j of piece i (both 0-based).
func PageText(i, j int) string { return fmt.Sprintf("piece %d page %d", i+1, j+1) }

// PageLabel is the label that PageLabels gives page j of piece i (both
// 0-based), e.g. "A000001 p.1".
func PageLabel(i, j int) string { return fmt.Sprintf("%s p.%d", Account(i), j+1) }

// WriteFile writes the run described by o to path.
func WriteFile(path string, o Options) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("pdftest: %w", err)
	}
	if err := Write(f, o); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("pdftest: %w", err)
	}
	return nil
}

// SidecarPiece is one entry of a sidecar index as Sidecar writes it.
type SidecarPiece struct {
	FirstPage int               `json:"first_page"`
	Pages     int               `json:"pages"`
	Meta      map[string]string `json:"meta"`
}

// Account is the account number Sidecar gives piece i (0-based).
func Account(i int) string { return fmt.Sprintf("A%06d", i+1) }

// PostalCode is the postal code Sidecar gives piece i (0-based): five
// digits, varying from piece to piece.
func PostalCode(i int) string { return fmt.Sprintf("%05d", (10001+i*7919)%100000) }

// Sidecar returns a JSON sidecar index for the run described by o:
// {"pieces":[{"first_page":1,"pages":2,"meta":{"account":"A000001",
// "postal_code":"10001"}}, ...]}.
func Sidecar(o Options) []byte {
	pieces := make([]SidecarPiece, 0, len(o.Pieces))
	first := 1
	for i, n := range o.Pieces {
		pieces = append(pieces, SidecarPiece{
			FirstPage: first,
			Pages:     n,
			Meta:      map[string]string{"account": Account(i), "postal_code": PostalCode(i)},
		})
		first += n
	}
	b, err := json.Marshal(struct {
		Pieces []SidecarPiece `json:"pieces"`
	}{pieces})
	if err != nil { // cannot happen: plain structs of strings and ints
		return nil
	}
	return append(b, '\n')
}
