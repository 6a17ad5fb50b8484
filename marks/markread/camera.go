package markread

import (
	"fmt"

	"github.com/omsd/omsd/marks"
)

// Resolutions the camera looks at the zones with. OMR lines and a Data
// Matrix of 0.5 mm modules read from 3 pixels a module; 1D codes need 6
// without anti-aliasing (Code 39's 2:1 wide bars fail at 3), and the IMb's
// 0.02 in bars 6.
const (
	OMRDPI    = 150
	MatrixDPI = 150
	LinearDPI = 300
	IMbDPI    = 300
)

// Camera reads the marks of one inserting line's profile from sheets.
type Camera struct {
	Profile *marks.Profile
}

// SheetRead is what the line learns from one marked side of a sheet.
type SheetRead struct {
	OMR *Code // nil without an OMR code
	// Barcode is the barcode's text, "" if none was read; BarcodeType the
	// symbology as zbarimg names it (1D only).
	Barcode     string
	BarcodeType string
	// IMb is the 65 bar letters, "" where no bars are.
	IMb string
	// Err is why the OMR code could not be read, if it could not.
	Err error
}

// Views are the areas of a page the camera looks at, one per mark of the
// profile: omr (the OMR code's clear zone), barcode and imb. The
// barcode's area is the zone of sample's text with a margin, so a run
// whose texts vary in length needs the longest as the sample.
func (c Camera) Views(sample *marks.SheetMarks) ([]View, error) {
	zones, err := c.Profile.Zones(sample)
	if err != nil {
		return nil, err
	}
	views := make([]View, 0, len(zones))
	for _, z := range zones {
		v := View{Name: z.Name, Area: z.Rect, DPI: OMRDPI}
		switch z.Name {
		case "barcode":
			v.Area, v.DPI = widen(z.Rect, 4), LinearDPI
			if c.Profile.Barcode.Symbology == marks.DataMatrix {
				v.DPI = MatrixDPI
			}
		case "imb":
			v.DPI = IMbDPI
		}
		views = append(views, v)
	}
	return views, nil
}

func widen(r marks.Rect, m float64) marks.Rect {
	return marks.Rect{X: r.X - m, Y: r.Y - m, W: r.W + 2*m, H: r.H + 2*m}
}

// RenderViews renders every view of every page of the PDF at path and
// returns, per page, its images in the order of views.
func (c Camera) RenderViews(path string, views []View) ([][]Image, error) {
	var pages [][]Image
	for j, v := range views {
		ims, err := Render(path, v, c.Profile.Page().H, Pages{})
		if err != nil {
			return nil, fmt.Errorf("view %s: %w", v.Name, err)
		}
		if j == 0 {
			pages = make([][]Image, len(ims))
		}
		if len(ims) != len(pages) {
			return nil, fmt.Errorf("%w: view %s has %d pages, view %s %d", ErrRender, v.Name, len(ims), views[0].Name, len(pages))
		}
		for i := range ims {
			pages[i] = append(pages[i], ims[i])
		}
	}
	return pages, nil
}

// Read reads the marks of sheets, each given as the images of its views
// (by View.Name). Barcodes are decoded for all sheets in one run of the
// decoder.
func (c Camera) Read(sheets [][]Image) ([]SheetRead, error) {
	out := make([]SheetRead, len(sheets))
	var codes []Image
	var coded []int
	for i, views := range sheets {
		for _, im := range views {
			switch im.View.Name {
			case "omr":
				c.readOMR(&out[i], im)
			case "imb":
				out[i].IMb, _ = ReadIMb(im) // no bars: not an address page
			case "barcode":
				codes, coded = append(codes, im), append(coded, i)
			}
		}
	}
	if len(codes) == 0 {
		return out, nil
	}
	if c.Profile.Barcode.Symbology == marks.DataMatrix {
		texts, err := DataMatrix(codes)
		if err != nil {
			return nil, err
		}
		for k, i := range coded {
			out[i].Barcode = texts[k]
		}
		return out, nil
	}
	syms, err := Linear(codes)
	if err != nil {
		return nil, err
	}
	for k, i := range coded {
		out[i].Barcode, out[i].BarcodeType = syms[k].Text, syms[k].Type
	}
	return out, nil
}

func (c Camera) readOMR(r *SheetRead, im Image) {
	code, err := ReadOMR(im, c.Profile)
	if err != nil {
		r.Err = err
		return
	}
	d := Decode(c.Profile, code)
	r.OMR = &d
}
