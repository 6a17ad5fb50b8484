// Package pdfmarks draws inserter marks onto the pages of PDF outputs: the
// OMR codes, barcodes and IMbs that package marks computes, as vector
// graphics drawn over each page's own content.
//
// Write writes outputs through pdf.Doc.WriteOutputs with a page hook. An
// OMR mark is one form XObject, written once per output and drawn at each
// marked position ("q 1 0 0 1 x y cm /OMSForm0 Do Q"); barcodes and IMb
// bars are filled rectangles, one per run of dark modules in a row (a Data
// Matrix in module units, runs repeated in the rows above merged), never
// images, so that they stay sharp at any resolution. Each page's marks
// are one Flate-compressed content stream, shared by the pages whose
// marks are the same (an OMR code that repeats). Nothing of the page
// moves: the marks are drawn on top, in the page's default coordinate
// space, after the page's own content, which is wrapped in q/Q so that its
// graphics state cannot leak into them.
//
// Positions are measured from the profile's paper, with the origin at the
// lower left corner of the page: the pages must be that size, with their
// media box at the origin and no /Rotate. The page's own content must
// leave the marks' zones (marks.Profile.Zones) white: it is not inspected
// here, so content in a clear zone is not reported; render a page with
// pdftoppm and look at the zones to check a layout.
package pdfmarks

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/pdf"
)

// ErrLayout reports pages and sheets that do not match: the sheets'
// pages do not add up to the output's pages, a simplex sheet has two
// pages, or a duplex sheet with one page is followed by another sheet, so
// that the next sheet's front would print on its back.
var ErrLayout = errors.New("pdfmarks: pages and sheets do not match")

// Output is one output file with its marks.
type Output struct {
	Path string
	// Pages are the input pages to write, in print order.
	Pages []int
	// Sheets are the marks of every sheet of the output, in order, as
	// marks.Sheets computed them: sheet k holds its Pages pages, the
	// first its front.
	Sheets []marks.SheetMarks
}

// Write writes the outputs of doc with the marks of profile p drawn on
// the marked sides of every sheet (p.Sides: the front by default). In
// duplex a sheet holds two pages, front and back; only the last sheet of
// an output may hold one.
func Write(doc *pdf.Doc, outputs []Output, p *marks.Profile, duplex bool) error {
	specs := make([]pdf.OutputSpec, len(outputs))
	for i := range outputs {
		spec, err := newSpec(&outputs[i], p, duplex)
		if err != nil {
			return fmt.Errorf("%s: %w", outputs[i].Path, err)
		}
		specs[i] = spec
	}
	return doc.WriteOutputs(specs)
}

// newSpec builds the output spec of one output: its forms and its hook.
func newSpec(o *Output, p *marks.Profile, duplex bool) (pdf.OutputSpec, error) {
	sides, err := layout(o, duplex)
	if err != nil {
		return pdf.OutputSpec{}, err
	}
	d := &drawer{p: p, sheets: o.Sheets, sides: sides, omr: p.OMRPositions()}
	spec := pdf.OutputSpec{Path: o.Path, Pages: o.Pages, Hook: d.hook}
	if p.OMR != nil {
		r := d.omr[0]
		spec.Forms = []pdf.Form{{BBox: [4]float64{0, 0, r.W, r.H},
			Content: fmt.Appendf(nil, "0 g 0 0 %s %s re f", num(r.W), num(r.H))}}
	}
	return spec, nil
}

// side is where an output page falls: its sheet and whether it is the
// sheet's back.
type side struct {
	sheet int32
	back  bool
}

// layout maps every page of an output to its sheet and side.
func layout(o *Output, duplex bool) ([]side, error) {
	sides := make([]side, 0, len(o.Pages))
	for k, s := range o.Sheets {
		if s.Pages < 1 || s.Pages > 2 || (!duplex && s.Pages != 1) {
			return nil, fmt.Errorf("%w: sheet %d has %d pages in a %s output", ErrLayout, k+1, s.Pages, plex(duplex))
		}
		if duplex && s.Pages == 1 && k+1 < len(o.Sheets) {
			return nil, fmt.Errorf("%w: sheet %d (piece %d) has one page in a duplex output: the next sheet's front would print on its back (a blank page is needed)", ErrLayout, k+1, s.Piece)
		}
		for j := range s.Pages {
			sides = append(sides, side{sheet: int32(k), back: j == 1})
		}
		if len(sides) > len(o.Pages) {
			break
		}
	}
	if len(sides) != len(o.Pages) {
		return nil, fmt.Errorf("%w: %d pages, but the sheets hold %d", ErrLayout, len(o.Pages), len(sides))
	}
	return sides, nil
}

func plex(duplex bool) string {
	if duplex {
		return "duplex"
	}
	return "simplex"
}

// num writes a coordinate with at most three decimals.
func num(v float64) string { return string(appendNum(nil, v)) }

func appendNum(b []byte, v float64) []byte {
	b = strconv.AppendFloat(b, v, 'f', 3, 64)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	return b
}
