// Package pipeline is omsd's processing of one print file, as a library:
// analyse the file into mail pieces, compose the output to print, and send it
// to a device. The daemon calls these steps with persistence in between; the
// one-shot `omsd process` and the tests call them directly.
//
// Formats plug in as a printFile: what a format knows (its page count, the
// piece boundaries it carries itself, how to write a subset of its pages).
// Sidecar indexes, fixed page counts and the whole file as one piece work
// the same for every format.
package pipeline

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
)

// ErrBadInput is wrapped by every error that means the print file itself
// cannot be processed (empty, truncated, not the workflow's format, a piece
// index that does not fit it). Such files go to the error folder.
var ErrBadInput = errors.New("pipeline: input cannot be processed")

// printFile is an opened print file of one format.
type printFile interface {
	PageCount() int
	// embeddedPieces finds pieces from what the file itself carries
	// (bookmarks, page groups); method "" lets the format choose. It
	// returns the method used, and ok false when the file carries none.
	embeddedPieces(wf config.Workflow, method string) (pieces []mailpiece.Piece, used string, ok bool, err error)
	// write writes the pages of pieces, in order, to the file at path.
	write(path string, pieces []mailpiece.Piece) error
	// writeMarked writes them with the marks of their sheets drawn, as
	// MarkSheets computes them for run, and returns warnings about the
	// layout.
	writeMarked(path string, pieces []mailpiece.Piece, run MarkRun, m *marking) ([]string, error)
}

// File is one opened print file.
type File struct {
	path    string
	format  string
	pf      printFile
	marking *marking // nil: the workflow draws no marks
	// Job is the job's ID as the marks' barcodes carry it ({job}): a
	// reprint carries its run's first job.
	Job string
	// Generation is the reprint generation the marks carry ({reprint}):
	// 0 for the first print.
	Generation int
}

// Open opens and checks the print file at path as the workflow's format.
// Errors that mean the file cannot be processed wrap ErrBadInput.
func Open(path string, wf config.Workflow) (*File, error) {
	var pf printFile
	var err error
	switch wf.Format {
	case "", "pdf":
		pf, err = openPDF(path)
	case "afp":
		pf, err = openAFP(path, wf)
	default:
		return nil, fmt.Errorf("format %q is not supported", wf.Format)
	}
	if err != nil {
		return nil, formatHint(path, wf, err)
	}
	if pf.PageCount() == 0 {
		return nil, fmt.Errorf("%w: the file has no pages", ErrBadInput)
	}
	f := &File{path: path, format: wf.Format, pf: pf}
	if wf.Marks != nil && wf.Marks.Loaded() != nil {
		f.marking = &marking{profile: wf.Marks.Loaded(), duplex: wf.Duplex || (wf.Postage != nil && wf.Postage.Duplex),
			divertField: wf.Marks.DivertField}
	}
	return f, nil
}

// formatHint adds to the error of a file that could not be opened what it
// is when that is another format than the workflow's, and what to do.
func formatHint(path string, wf config.Workflow, err error) error {
	if !errors.Is(err, ErrBadInput) {
		return err
	}
	want := wf.Format
	if want == "" {
		want = "pdf"
	}
	got, derr := DetectFormat(path)
	if derr != nil || got == want {
		return err
	}
	return fmt.Errorf("%w: the file is %s, but workflow %q takes %s: drop it into the hot folder of a workflow with format: %s, or submit it with --workflow naming one",
		err, strings.ToUpper(got), wf.Name, strings.ToUpper(want), got)
}

// MIME is the media type of the file's format, as a printer is told.
func (f *File) MIME() string { return MIME(f.format) }

// MIME is the media type of a workflow format.
func MIME(format string) string { return config.FormatMIME(format) }

// Analysis is what a print file holds.
type Analysis struct {
	Pages  int
	Sheets int
	Method string // how the pieces were found: sidecar, bookmarks, fixed, whole, ...
	Pieces []mailpiece.Piece
	// Warnings are what finding the pieces had to guess, such as an AFP
	// file without page groups taken as one piece.
	Warnings []string
}

// Analyze finds the file's mail pieces as the workflow says; sidecar is the
// path of its sidecar index, or "" when there is none.
func (f *File) Analyze(wf config.Workflow, sidecar string) (Analysis, error) {
	pieces, method, err := f.findPieces(wf, sidecar)
	if err != nil {
		return Analysis{}, fmt.Errorf("%w: finding pieces by %s: %w", ErrBadInput, method, err)
	}
	a := Analysis{Pages: f.pf.PageCount(), Method: method, Pieces: pieces}
	if method == "whole" && wf.Pieces.Method == "auto" && f.format == "afp" {
		a.Warnings = append(a.Warnings, "the AFP file has no named page groups: it was taken as one piece of "+
			fmt.Sprint(a.Pages)+" pages; set pieces.method (imm, tle, nop, fixed) if it holds several letters")
	}
	for _, p := range pieces {
		a.Sheets += p.Sheets
	}
	return a, nil
}

// afpPieces finds an AFP file's pieces by the boundary its index was built
// with. Page groups, explicitly asked for, must exist; with auto, a file
// without them is one piece.
func (f *File) afpPieces(wf config.Workflow) ([]mailpiece.Piece, string, error) {
	p, used, _, err := f.pf.embeddedPieces(wf, wf.Pieces.Method)
	if errors.Is(err, ErrNoPageGroups) && (wf.Pieces.Method == "auto" || wf.Pieces.Method == "") {
		return p, used, nil
	}
	return p, used, err
}

func (f *File) findPieces(wf config.Workflow, sidecar string) ([]mailpiece.Piece, string, error) {
	if f.format == "afp" { // the index was built with the workflow's boundary
		return f.afpPieces(wf)
	}
	pages, duplex := f.pf.PageCount(), wf.Duplex
	switch method := wf.Pieces.Method; method {
	case "sidecar":
		p, err := fromSidecar(sidecar, pages, duplex)
		return p, method, err
	case "fixed":
		p, err := mailpiece.Fixed(pages, wf.Pieces.PagesPerPiece, duplex)
		return p, method, err
	case "whole":
		return mailpiece.Whole(pages, duplex), method, nil
	case "auto":
		if sidecar != "" {
			p, err := fromSidecar(sidecar, pages, duplex)
			return p, "sidecar", err
		}
		p, used, ok, err := f.pf.embeddedPieces(wf, "")
		if ok || err != nil {
			return p, used, err
		}
		return mailpiece.Whole(pages, duplex), "whole", nil
	default:
		p, used, ok, err := f.pf.embeddedPieces(wf, method)
		if err == nil && !ok {
			err = fmt.Errorf("the file has no %s", method)
		}
		return p, used, err
	}
}

func fromSidecar(path string, pages int, duplex bool) ([]mailpiece.Piece, error) {
	if path == "" {
		return nil, errors.New("the workflow needs a sidecar index (NAME.json or NAME.csv beside the print file) and there is none")
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

// Reason returns the IPP job-state-reasons keyword for an error from this
// package: document-format-error when the file is not readable in its
// format, document-unprocessable when its pieces cannot be found.
func Reason(err error) string {
	var fe formatError
	if errors.As(err, &fe) {
		return "document-format-error"
	}
	return "document-unprocessable"
}

// formatError marks an error that says the file is not readable in its
// format at all.
type formatError struct{ err error }

func (e formatError) Error() string { return e.err.Error() }
func (e formatError) Unwrap() error { return e.err }

// badFormat wraps err as a format error that makes the input bad.
func badFormat(err error) error {
	return fmt.Errorf("%w: %w", ErrBadInput, formatError{err})
}
