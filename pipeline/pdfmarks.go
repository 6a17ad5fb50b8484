package pipeline

import (
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks/pdfmarks"
	"github.com/omsd/omsd/pdf"
)

// writeMarked writes the pieces with their sheets' marks. In duplex a
// piece with an odd page count gets a blank back page, so that the next
// piece starts on a sheet of its own. Before writing, the marked sides of
// the first pages are checked for content inside the marks' zones.
func (f *pdfFile) writeMarked(path string, pieces []mailpiece.Piece, run MarkRun, m *marking) ([]string, error) {
	sheets, err := MarkSheets(m.profile, run, pieces)
	if err != nil {
		return nil, err
	}
	var pages []int
	for _, p := range pieces {
		for n := p.FirstPage; n <= p.LastPage(); n++ {
			pages = append(pages, n)
		}
		if m.duplex && p.Pages%2 == 1 {
			pages = append(pages, pdf.Blank(p.LastPage()))
		}
	}
	if m.duplex {
		for i := range sheets {
			sheets[i].Pages = 2 // a blank back is a page of its sheet
		}
	}
	warnings := zoneWarnings(f.doc.Path(), pages, sheets, m)
	out := []pdfmarks.Output{{Path: path, Pages: pages, Sheets: sheets}}
	return warnings, pdfmarks.Write(f.doc, out, m.profile, m.duplex)
}
