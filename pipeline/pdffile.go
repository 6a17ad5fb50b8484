package pipeline

import (
	"errors"
	"regexp"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pdf"
)

// pdfFile is a PDF print file. Its own piece boundaries are its top-level
// bookmarks.
type pdfFile struct{ doc *pdf.Doc }

func openPDF(path string) (*pdfFile, error) {
	doc, err := pdf.Open(path)
	if err != nil {
		if errors.Is(err, pdf.ErrNotPDF) || errors.Is(err, pdf.ErrTruncated) || errors.Is(err, pdf.ErrDamaged) {
			return nil, badFormat(err)
		}
		return nil, err
	}
	return &pdfFile{doc: doc}, nil
}

func (f *pdfFile) PageCount() int { return f.doc.PageCount() }

func (f *pdfFile) embeddedPieces(wf config.Workflow, method string) ([]mailpiece.Piece, string, bool, error) {
	switch method {
	case "", "bookmarks":
	default:
		return nil, method, false, errors.New("a PDF carries its pieces as bookmarks; use pieces.method bookmarks, sidecar, fixed or whole")
	}
	entries, err := f.doc.Outline()
	if err != nil {
		return nil, "bookmarks", false, err
	}
	if len(entries) == 0 {
		return nil, "bookmarks", false, nil
	}
	var re *regexp.Regexp
	if wf.Pieces.BookmarkPattern != "" {
		re = regexp.MustCompile(wf.Pieces.BookmarkPattern) // validated with the config
	}
	p, err := mailpiece.FromOutline(entries, f.doc.PageCount(), re, wf.Duplex)
	return p, "bookmarks", true, err
}

func (f *pdfFile) write(path string, pieces []mailpiece.Piece) error {
	var pages []int
	for _, p := range pieces {
		for n := p.FirstPage; n <= p.LastPage(); n++ {
			pages = append(pages, n)
		}
	}
	return f.doc.WritePages(path, pages)
}
