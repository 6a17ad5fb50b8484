// Package pipeline is omsd's processing of one print file, as a library:
// analyse the file into mail pieces, compose the output to print, and send it
// to a device. The daemon calls these steps with persistence in between; the
// one-shot `omsd process` and the tests call them directly.
package pipeline

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pdf"
)

// ErrBadInput is wrapped by every error that means the print file itself
// cannot be processed (empty, truncated, not the workflow's format, a piece
// index that does not fit it). Such files go to the error folder.
var ErrBadInput = errors.New("pipeline: input cannot be processed")

// File is one opened print file.
type File struct {
	path string
	doc  *pdf.Doc
}

// Open opens and checks the print file at path. Errors that mean the file
// cannot be processed wrap ErrBadInput.
func Open(path string) (*File, error) {
	doc, err := openPDF(path)
	if err != nil {
		return nil, err
	}
	return &File{path: path, doc: doc}, nil
}

// Analysis is what a print file holds.
type Analysis struct {
	Pages  int
	Sheets int
	Method string // how the pieces were found: sidecar, bookmarks, fixed, whole
	Pieces []mailpiece.Piece
}

// Analyze finds the file's mail pieces as the workflow says; sidecar is the
// path of its sidecar index, or "" when there is none.
func (f *File) Analyze(wf config.Workflow, sidecar string) (Analysis, error) {
	doc := f.doc
	pieces, method, err := findPieces(wf, doc, sidecar)
	if err != nil {
		return Analysis{}, err
	}
	a := Analysis{Pages: doc.PageCount(), Method: method, Pieces: pieces}
	for _, p := range pieces {
		a.Sheets += p.Sheets
	}
	return a, nil
}

func openPDF(path string) (*pdf.Doc, error) {
	doc, err := pdf.Open(path)
	if err != nil {
		if isFormatError(err) {
			return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
		}
		return nil, err
	}
	if doc.PageCount() == 0 {
		return nil, fmt.Errorf("%w: the PDF has no pages", ErrBadInput)
	}
	return doc, nil
}

func isFormatError(err error) bool {
	return errors.Is(err, pdf.ErrNotPDF) || errors.Is(err, pdf.ErrTruncated) || errors.Is(err, pdf.ErrDamaged)
}

func findPieces(wf config.Workflow, doc *pdf.Doc, sidecar string) ([]mailpiece.Piece, string, error) {
	pages, duplex := doc.PageCount(), wf.Duplex
	method := wf.Pieces.Method
	if method == "auto" {
		method = autoMethod(doc, sidecar)
	}
	var pieces []mailpiece.Piece
	var err error
	switch method {
	case "sidecar":
		pieces, err = fromSidecar(sidecar, pages, duplex)
	case "bookmarks":
		pieces, err = fromBookmarks(doc, wf.Pieces.BookmarkPattern, duplex)
	case "fixed":
		pieces, err = mailpiece.Fixed(pages, wf.Pieces.PagesPerPiece, duplex)
	case "whole":
		pieces = mailpiece.Whole(pages, duplex)
	default:
		err = fmt.Errorf("unknown piece method %q", method)
	}
	if err != nil {
		return nil, method, fmt.Errorf("%w: finding pieces by %s: %w", ErrBadInput, method, err)
	}
	return pieces, method, nil
}

// autoMethod picks the sidecar if there is one, else bookmarks if the PDF
// has any, else the whole file as one piece.
func autoMethod(doc *pdf.Doc, sidecar string) string {
	if sidecar != "" {
		return "sidecar"
	}
	if entries, err := doc.Outline(); err == nil && len(entries) > 0 {
		return "bookmarks"
	}
	return "whole"
}

func fromSidecar(path string, pages int, duplex bool) ([]mailpiece.Piece, error) {
	if path == "" {
		return nil, errors.New("the workflow needs a sidecar index (NAME.json or NAME.csv beside the PDF) and there is none")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	format := "json"
	if strings.HasSuffix(strings.ToLower(path), ".csv") {
		format = "csv"
	}
	return mailpiece.FromSidecar(f, format, pages, duplex)
}

func fromBookmarks(doc *pdf.Doc, pattern string, duplex bool) ([]mailpiece.Piece, error) {
	entries, err := doc.Outline()
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, errors.New("the PDF has no bookmarks")
	}
	var re *regexp.Regexp
	if pattern != "" {
		re = regexp.MustCompile(pattern) // validated with the config
	}
	return mailpiece.FromOutline(entries, doc.PageCount(), re, duplex)
}

// Reason returns the IPP job-state-reasons keyword for an error from this
// package: document-format-error when the file is not a readable PDF,
// document-unprocessable when its pieces cannot be found.
func Reason(err error) string {
	if isFormatError(err) {
		return "document-format-error"
	}
	return "document-unprocessable"
}
