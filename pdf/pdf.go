// Package pdf reads PDF print files and writes selections of their pages. It
// is the only place in omsd that uses the pdfcpu library: pdfcpu keeps
// global configuration and can panic on bad input, so this package gives it
// an explicit configuration, never lets it read or create a configuration
// directory, serializes its use of each parsed document, and turns a panic
// at any exported entry point into an error wrapping ErrDamaged.
//
// Page numbers are 1-based throughout. Bookmarks and their pages are
// computed from a page map built once per document, not with pdfcpu's
// bookmark functions, which walk the page tree once per bookmark.
package pdf

import (
	"errors"
	"fmt"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

var (
	// ErrNotPDF reports a file that is empty or does not start with
	// "%PDF-" (within its first 1024 bytes).
	ErrNotPDF = errors.New("pdf: not a PDF file")
	// ErrTruncated reports a file without "%%EOF" in its last 1024 bytes:
	// cut off in transfer, or still being written.
	ErrTruncated = errors.New("pdf: file is truncated")
	// ErrDamaged reports a file that starts and ends like a PDF but whose
	// structure cannot be read.
	ErrDamaged = errors.New("pdf: file is damaged")
	// ErrOutline reports a bookmark that does not lead to a page of the
	// document.
	ErrOutline = errors.New("pdf: bookmark does not lead to a page")
	// ErrPageRange reports a page number outside the document.
	ErrPageRange = errors.New("pdf: page number out of range")
)

// Doc is a parsed PDF document. Its methods are safe for concurrent use;
// calls that use the parsed structure run one at a time.
type Doc struct {
	path  string
	data  []byte // the file's bytes as parsed
	pages pageMap

	mu  sync.Mutex // guards ctx: pdfcpu changes it even when only reading
	ctx *model.Context
}

// Open reads and parses the PDF file at path. It checks cheaply that the
// file is a complete PDF before parsing it; errors wrap ErrNotPDF,
// ErrTruncated or ErrDamaged and say what is wrong. The file is read into
// memory once: the Doc does not change if the file does.
func Open(path string) (d *Doc, err error) {
	defer guard(&err, path)
	data, err := load(path)
	if err != nil {
		return nil, err
	}
	ctx, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pages, err := newPageMap(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Doc{path: path, data: data, pages: pages, ctx: ctx}, nil
}

// Path is the path the document was opened from.
func (d *Doc) Path() string { return d.path }

// PageCount is the number of pages of the document.
func (d *Doc) PageCount() int { return d.pages.count() }
