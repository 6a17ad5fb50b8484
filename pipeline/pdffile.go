package pipeline

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
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
	case "dpart":
		return f.dpartPieces(wf)
	case "bookmarks":
		return f.bookmarkPieces(wf)
	case "":
		// PDF/VT records first: they carry the recipient's metadata.
		if p, used, ok, err := f.dpartPieces(wf); ok || err != nil {
			return p, used, ok, err
		}
		return f.bookmarkPieces(wf)
	}
	return nil, method, false, errors.New("a PDF carries its pieces as PDF/VT records (dpart) or bookmarks; use pieces.method dpart, bookmarks, sidecar, fixed or whole")
}

// dpartPieces makes one piece of each PDF/VT record, with its DPM
// metadata.
func (f *pdfFile) dpartPieces(wf config.Workflow) ([]mailpiece.Piece, string, bool, error) {
	recs, err := f.doc.DParts()
	if err != nil || len(recs) == 0 {
		return nil, "dpart", false, err
	}
	pieces := make([]mailpiece.Piece, 0, len(recs))
	b := meta.NewBuilder()
	next := 1
	for i, r := range recs {
		if r.FirstPage != next {
			return nil, "dpart", true, fmt.Errorf("%w: pages %d-%d belong to no PDF/VT record", mailpiece.ErrInconsistent, next, r.FirstPage-1)
		}
		pages := r.LastPage - r.FirstPage + 1
		b.SetMap(r.Meta)
		pieces = append(pieces, mailpiece.Piece{Seq: i + 1, FirstPage: r.FirstPage, Pages: pages,
			Sheets: mailpiece.SheetsFor(pages, wf.Duplex), Meta: b.End()})
		next = r.LastPage + 1
	}
	if last := f.doc.PageCount(); next <= last {
		return nil, "dpart", true, fmt.Errorf("%w: pages %d-%d belong to no PDF/VT record", mailpiece.ErrInconsistent, next, last)
	}
	return pieces, "dpart", true, nil
}

func (f *pdfFile) bookmarkPieces(wf config.Workflow) ([]mailpiece.Piece, string, bool, error) {
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
