package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

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

// splitPDF writes each piece's pages into a temporary file beside the
// output, in one pass.
func (f *File) splitPDF(doc *pdf.Doc, path string, pieces []mailpiece.Piece, each func(int, PieceFile) error) error {
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".split-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	specs := make([]pdf.OutputSpec, len(pieces))
	next := 1
	for i, p := range pieces {
		n := p.Pages
		if f.addsBlankBack(p) {
			n++
		}
		spec := pdf.OutputSpec{Path: filepath.Join(tmp, fmt.Sprintf("%d.pdf", i))}
		for k := range n {
			spec.Pages = append(spec.Pages, next+k)
		}
		next += n
		specs[i] = spec
	}
	if next-1 != doc.PageCount() {
		return fmt.Errorf("the output %s has %d pages, its pieces %d", path, doc.PageCount(), next-1)
	}
	if len(specs) > 0 {
		if err := doc.WriteOutputs(specs); err != nil {
			return err
		}
	}
	for i, s := range specs {
		b, err := os.ReadFile(s.Path)
		if err != nil {
			return err
		}
		if err := each(i, PieceFile{Data: b, Pages: len(s.Pages)}); err != nil {
			return err
		}
	}
	return nil
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
		if err := afp.WriteOutput(&buf, src, f.idx, []int{p.Seq}, nil); err != nil {
			return fmt.Errorf("piece %d of %s: %w", i+1, f.path, err)
		}
		if err := each(i, PieceFile{Data: buf.Bytes(), Pages: p.Pages}); err != nil {
			return err
		}
	}
	return nil
}
