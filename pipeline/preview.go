package pipeline

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"slices"

	"github.com/omsd/omsd/afp/topdf"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// previewDPI is the resolution of a preview: a whole sheet readable on a
// screen.
const previewDPI = 60

// PreviewOutput is a composed output with marks, as a preview needs it.
type PreviewOutput struct {
	Path   string
	Format string // pdf or afp
	Duplex bool
	// Run is the print the output belongs to, as its marks carry it.
	Run MarkRun
	// Pieces are the output's pieces in print order.
	Pieces []mailpiece.Piece
	// Resources is the directory of AFP overlays and page segments the
	// output's resource group lacks (workflow afp.resources).
	Resources string
}

// PreviewSheets returns the marks of the sheets of piece seq of an output
// with profile p, as the output prints them.
func PreviewSheets(p *marks.Profile, o PreviewOutput, seq int) ([]marks.SheetMarks, error) {
	sheets, err := MarkSheets(p, o.Run, o.Pieces)
	if err != nil {
		return nil, err
	}
	var mine []marks.SheetMarks
	for _, s := range sheets {
		if s.Piece == seq {
			mine = append(mine, s)
		}
	}
	if len(mine) == 0 {
		return nil, fmt.Errorf("piece %d is not in output %s", seq, o.Path)
	}
	return mine, nil
}

// PreviewImage draws the sheets of piece seq, one row each, front then
// back in duplex: for PDF the output's pages rendered with pdftoppm, for
// AFP the output's pages rendered through the AFP to PDF transform (or,
// for an output without a file, the marks drawn on blank sheets).
func PreviewImage(p *marks.Profile, o PreviewOutput, seq int, sheets []marks.SheetMarks) (*image.Gray, error) {
	var sides []markread.Image
	var err error
	switch {
	case o.Format == "afp" && o.Path != "":
		sides, err = renderAFPSides(p, o, seq)
	case o.Format == "afp":
		sides, err = drawSides(p, o.Duplex, sheets)
	default:
		sides, err = renderSides(p, o, seq)
	}
	if err != nil {
		return nil, err
	}
	return grid(sides, 1+btoi(o.Duplex)), nil
}

// renderSides renders the pages of piece seq from a PDF output with
// marks: in duplex every sheet has two pages there, blank backs included.
func renderSides(p *marks.Profile, o PreviewOutput, seq int) ([]markread.Image, error) {
	first := 1
	i := slices.IndexFunc(o.Pieces, func(pc mailpiece.Piece) bool { return pc.Seq == seq })
	if i < 0 {
		return nil, fmt.Errorf("piece %d is not in output %s", seq, o.Path)
	}
	pagesOf := func(pc mailpiece.Piece) int {
		if o.Duplex {
			return 2 * pc.Sheets
		}
		return pc.Pages
	}
	for _, pc := range o.Pieces[:i] {
		first += pagesOf(pc)
	}
	v := markread.View{Area: p.Page(), DPI: previewDPI}
	return markread.Render(o.Path, v, p.Page().H, markread.Pages{First: first, Last: first + pagesOf(o.Pieces[i]) - 1})
}

// renderAFPSides renders the pages of piece seq from an AFP output with
// marks, through the AFP to PDF transform: one side a page, and in duplex
// the backs the piece leaves blank as blank sides.
func renderAFPSides(p *marks.Profile, o PreviewOutput, seq int) ([]markread.Image, error) {
	i := slices.IndexFunc(o.Pieces, func(pc mailpiece.Piece) bool { return pc.Seq == seq })
	if i < 0 {
		return nil, fmt.Errorf("piece %d is not in output %s", seq, o.Path)
	}
	first := 1
	for _, pc := range o.Pieces[:i] {
		first += pc.Pages
	}
	pc := o.Pieces[i]
	in, err := os.Open(o.Path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	tmp, err := os.CreateTemp("", "omsd-preview-*.pdf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = topdf.Transform(bufio.NewReaderSize(in, 1<<20), tmp, topdf.Options{FirstPage: first, LastPage: first + pc.Pages - 1, ResourceDir: o.Resources})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("piece %d of %s as PDF: %w", seq, o.Path, err)
	}
	v := markread.View{Area: p.Page(), DPI: previewDPI}
	sides, err := markread.Render(tmp.Name(), v, p.Page().H, markread.Pages{First: 1, Last: pc.Pages})
	if err != nil {
		return nil, err
	}
	for o.Duplex && len(sides) < 2*pc.Sheets {
		sides = append(sides, markread.Draw(v, p.Page().H, nil))
	}
	return sides, nil
}

// drawSides draws each side of the sheets with its marks, as the AFP
// renderer places them, on a blank sheet with a frame.
func drawSides(p *marks.Profile, duplex bool, sheets []marks.SheetMarks) ([]markread.Image, error) {
	v := markread.View{Area: p.Page(), DPI: previewDPI}
	var sides []markread.Image
	for i := range sheets {
		for back := range 1 + btoi(duplex) {
			var rects []marks.Rect
			if marked(p, back == 1) {
				var err error
				if rects, err = sideRects(p, &sheets[i], back == 1); err != nil {
					return nil, err
				}
			}
			im := markread.Draw(v, p.Page().H, rects)
			frame(im.Gray)
			sides = append(sides, im)
		}
	}
	return sides, nil
}

// sideRects are the rectangles of one side's marks: the OMR marks, the
// barcode's modules, and the IMb's bars on the front.
func sideRects(p *marks.Profile, s *marks.SheetMarks, back bool) ([]marks.Rect, error) {
	var rects []marks.Rect
	pos := p.OMRPositions()
	for i, on := range s.OMR {
		if on && i < len(pos) {
			rects = append(rects, pos[i])
		}
	}
	if p.Barcode != nil && s.Barcode != "" {
		r, err := p.BarcodeRects(s.Barcode)
		if err != nil {
			return nil, err
		}
		rects = append(rects, r...)
	}
	if p.IMb != nil && s.IMb != "" && !back {
		r, err := p.IMbRects(s.IMb)
		if err != nil {
			return nil, err
		}
		rects = append(rects, r...)
	}
	return rects, nil
}

// frame draws a grey line around the edge of an image.
func frame(g *image.Gray) {
	b := g.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		g.Pix[x-b.Min.X] = 0x80
		g.Pix[(b.Dy()-1)*g.Stride+x-b.Min.X] = 0x80
	}
	for y := 0; y < b.Dy(); y++ {
		g.Pix[y*g.Stride] = 0x80
		g.Pix[y*g.Stride+b.Dx()-1] = 0x80
	}
}

// grid lays images out in rows of cols, with a gap between them.
func grid(ims []markread.Image, cols int) *image.Gray {
	const gap = 8
	w, h := 0, 0
	for _, im := range ims {
		w, h = max(w, im.Rect.Dx()), max(h, im.Rect.Dy())
	}
	rows := (len(ims) + cols - 1) / cols
	out := image.NewGray(image.Rect(0, 0, cols*w+(cols+1)*gap, rows*h+(rows+1)*gap))
	draw.Draw(out, out.Rect, image.NewUniform(color.Gray{Y: 0xC0}), image.Point{}, draw.Src)
	for i, im := range ims {
		at := image.Pt(gap+(i%cols)*(w+gap), gap+(i/cols)*(h+gap))
		draw.Draw(out, image.Rectangle{Min: at, Max: at.Add(im.Rect.Size())}, im.Gray, im.Rect.Min, draw.Src)
	}
	return out
}
