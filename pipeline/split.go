package pipeline

import (
	"bytes"
	"fmt"
	"os"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pdf"
)

// PieceFile is one piece cut out of a composed output: a standalone print
// file of its pages as they went out (marks drawn, blank backs included;
// for AFP its page group with the resources and form map of the output's
// header).
type PieceFile struct {
	Data  []byte
	Pages int
}

// SplitOutput cuts the composed output of wf at path, which holds pieces
// in that order, into one standalone file per piece, and calls each with
// them in order.
func SplitOutput(wf config.Workflow, path string, pieces []mailpiece.Piece, each func(i int, pf PieceFile) error) error {
	f, err := Open(path, wf)
	if err != nil {
		return fmt.Errorf("opening the output %s: %w", path, err)
	}
	switch pf := f.pf.(type) {
	case *pdfFile:
		return f.splitPDF(pf.doc, path, pieces, each)
	case *afpFile:
		return splitAFP(pf, pieces, each)
	}
	return fmt.Errorf("format %q cannot be split into pieces", wf.Format)
}

// splitPDF writes each piece's pages as a PDF of its own, in memory.
func (f *File) splitPDF(doc *pdf.Doc, path string, pieces []mailpiece.Piece, each func(int, PieceFile) error) error {
	specs := make([]pdf.OutputSpec, len(pieces))
	next := 1
	for i, p := range pieces {
		n := p.Pages
		if f.addsBlankBack(p) {
			n++
		}
		specs[i].Path = fmt.Sprintf("piece-%d.pdf", p.Seq)
		for k := range n {
			specs[i].Pages = append(specs[i].Pages, next+k)
		}
		next += n
	}
	if next-1 != doc.PageCount() {
		return fmt.Errorf("the output %s has %d pages, its pieces %d", path, doc.PageCount(), next-1)
	}
	if len(pieces) == 1 {
		// The output is the piece: its bytes are the very bytes sent.
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return each(0, PieceFile{Data: data, Pages: doc.PageCount()})
	}
	return doc.WriteEach(specs, func(i int, data []byte) error {
		return each(i, PieceFile{Data: data, Pages: len(specs[i].Pages)})
	})
}

// splitAFP writes each page group of the output with the output's header
// and trailer.
func splitAFP(f *afpFile, pieces []mailpiece.Piece, each func(int, PieceFile) error) error {
	if len(f.idx.Pieces) != len(pieces) {
		return fmt.Errorf("the output %s holds %d pieces, %d were composed into it", f.path, len(f.idx.Pieces), len(pieces))
	}
	src, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer src.Close()
	for i, p := range f.idx.Pieces {
		var buf bytes.Buffer
		if err := afp.WriteOutput(&buf, src, f.idx, []int{int(p.Seq)}, nil); err != nil {
			return fmt.Errorf("piece %d of %s: %w", i+1, f.path, err)
		}
		if err := each(i, PieceFile{Data: buf.Bytes(), Pages: int(p.Pages)}); err != nil {
			return err
		}
	}
	return nil
}
