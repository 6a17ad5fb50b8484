package pdf

import (
	"fmt"
	"sort"
	"strconv"
)

// Form is a form XObject written once into an output, for its pages to
// draw: repeated mark geometry (OMR marks, fold marks, a frame) costs one
// object per output, whatever the number of pages.
type Form struct {
	// BBox is the form's bounding box in its own space: x0 y0 x1 y1.
	BBox [4]float64
	// Content is the form's content stream: graphics and text operators.
	Content []byte
	// Fonts maps the resource names Content uses to standard 14 fonts,
	// e.g. "F1": "Helvetica".
	Fonts map[string]string
}

// FormName is the resource name under which output pages find form i of
// their output: a page hook draws it with "/OMSForm0 Do" (FormName(0)).
func FormName(i int) string { return "OMSForm" + strconv.Itoa(i) }

// PageHook returns content to draw over page i (0-based) of an output,
// which shows input page page; nil leaves the page as it is. The content is
// drawn after the page's own, in the page's default coordinate space and
// graphics state, and may draw the output's forms by their FormName.
type PageHook func(i, page int) ([]byte, error)

// Blank is the OutputSpec page that stands for a blank page the size of
// input page p.
func Blank(p int) int { return -p }

// OutputSpec describes one output file of a job.
type OutputSpec struct {
	// Path is the file to write; it appears complete or not at all.
	Path string
	// Pages are the input pages to write, in order. A page may appear
	// more than once; it is then written as separate pages sharing their
	// content and resources. Blank(p) writes a blank page the size of
	// input page p (the back of a duplex sheet a document leaves empty).
	Pages []int
	// Forms are written once into the output, for Hook's content to draw.
	Forms []Form
	// Hook, if not nil, is called for every page of the output.
	Hook PageHook
	// Info, if not nil, is the output's document information dictionary
	// (Title, Author, Subject, Keywords or custom keys), in place of the
	// input's.
	Info map[string]string
	// Protect, if not nil, encrypts the output with passwords (AES-256).
	Protect *Protection
	// PDFA makes the output PDF/A-2b: an sRGB output intent and XMP
	// metadata with the PDF/A identification and the document
	// information's equivalents. Every font the pages use must be
	// embedded, and the output cannot be protected (ErrNotPDFA).
	PDFA bool
}

// check checks a spec against the document.
func (s *OutputSpec) check(pageCount int) error {
	if len(s.Pages) == 0 {
		return fmt.Errorf("%w: no pages selected", ErrPageRange)
	}
	for _, p := range s.Pages {
		if p < 0 {
			p = -p
		}
		if p < 1 || p > pageCount {
			return fmt.Errorf("%w: page %d, the document has pages 1-%d", ErrPageRange, p, pageCount)
		}
	}
	if len(s.Forms) > 0 && s.Hook == nil {
		return fmt.Errorf("%w: forms without a page hook to draw them", ErrOutput)
	}
	for i, f := range s.Forms {
		for res, font := range f.Fonts {
			if !standardFonts[font] {
				return fmt.Errorf("%w: form %d: font %s (/%s) is not one of the standard 14", ErrOutput, i, font, res)
			}
		}
	}
	return nil
}

// standardFonts are the fonts every PDF reader has.
var standardFonts = map[string]bool{
	"Times-Roman": true, "Times-Bold": true, "Times-Italic": true, "Times-BoldItalic": true,
	"Helvetica": true, "Helvetica-Bold": true, "Helvetica-Oblique": true, "Helvetica-BoldOblique": true,
	"Courier": true, "Courier-Bold": true, "Courier-Oblique": true, "Courier-BoldOblique": true,
	"Symbol": true, "ZapfDingbats": true,
}

// formStream builds the stream object of a form.
func (w *writer) formStream(f Form) *stream {
	bbox := make(array, 4)
	for i, v := range f.BBox {
		bbox[i] = real(strconv.FormatFloat(v, 'f', -1, 64))
	}
	d := dict{{"Type", name("XObject")}, {"Subtype", name("Form")}, {"BBox", bbox}}
	if len(f.Fonts) > 0 {
		keys := make([]string, 0, len(f.Fonts))
		for k := range f.Fonts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fonts := dict{}
		for _, k := range keys {
			fonts = append(fonts, pair{name(k), dict{{"Type", name("Font")}, {"Subtype", name("Type1")},
				{"BaseFont", name(f.Fonts[k])}, {"Encoding", name("WinAnsiEncoding")}}})
		}
		d = append(d, pair{"Resources", dict{{"Font", fonts}}})
	}
	return w.flate.stream(d, f.Content)
}
