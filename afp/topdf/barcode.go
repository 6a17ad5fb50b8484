package topdf

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/code39"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/twooffive"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/imb"
)

// BCOCA bar code types drawn here.
const (
	bcCode39     = 0x01
	bcI2of5      = 0x0C
	bcCode128    = 0x11
	bcDataMatrix = 0x1C
	bcIMb        = 0x22
)

// idBDD and idBDA are the bar code descriptor and data.
const (
	idBDD uint32 = 0xD3A6EB
	idBDA uint32 = 0xD3EEEB
)

// barcodeDesc is what a Bar Code Data Descriptor says.
type barcodeDesc struct {
	k        float64 // points per unit
	typ      byte
	module   float64 // points
	height   float64 // points; 0 for the symbology's default
	color    [3]float64
	descSeen bool
}

// maxBarcodeData bounds the text of one symbol.
const maxBarcodeData = 4096

// drawBarcode renders a BCOCA object: each BDA's symbol as filled
// rectangles at its position in the object area.
func (s *space) drawBarcode(o *dataObject) {
	t := s.pg.t
	var a objectArea
	var d barcodeDesc
	for _, f := range o.fields {
		switch f.ID {
		case idOBD:
			a.areaTriplets(f.Data)
		case idOBP:
			a.objectPosition(f.Data)
		case idBDD:
			d = parseBDD(f.Data)
		case idBDA:
			if !d.descSeen {
				t.warn(f, "bar code data without a descriptor (BDD); nothing drawn")
				continue
			}
			if err := s.drawSymbol(f, a, d); err != nil {
				t.warn(f, "bar code type %02X: %v; nothing drawn in its place", d.typ, err)
			}
		}
	}
	if o.area != nil {
		t.warn(o.begin, "bar code objects included by IOB are not drawn")
	}
}

func parseBDD(b []byte) barcodeDesc {
	d := barcodeDesc{k: 72.0 / 1440}
	if len(b) < 18 {
		return d
	}
	d.descSeen = true
	if k := unitPoints(b[0], float64(binary.BigEndian.Uint16(b[2:]))); k > 0 {
		d.k = k
	}
	d.typ = b[12]
	c := binary.BigEndian.Uint16(b[15:])
	if c != 0xFFFF {
		d.color = namedColor(c)
	}
	mils := float64(b[17])
	if mils == 0 || mils == 0xFF {
		mils = 10
	}
	d.module = mils * 72 / 1000
	if len(b) >= 21 {
		if h := binary.BigEndian.Uint16(b[18:]); h != 0xFFFF && h != 0 {
			mult := float64(b[20])
			if mult == 0 {
				mult = 1
			}
			d.height = float64(h) * d.k * mult
		}
	}
	return d
}

// drawSymbol draws one BDA's symbol.
func (s *space) drawSymbol(f *afp.Field, a objectArea, d barcodeDesc) error {
	b := f.Data
	if len(b) < 5 {
		return fmt.Errorf("bar code data of %d bytes", len(b))
	}
	// the symbol's origin in the object area, along the area's axes
	x0 := float64(binary.BigEndian.Uint16(b[1:])) * d.k
	y0 := float64(binary.BigEndian.Uint16(b[3:])) * d.k
	data := b[5:]
	if len(data) > maxBarcodeData {
		return fmt.Errorf("%d bytes of data, more than %d", len(data), maxBarcodeData)
	}
	if b[0]&0x80 == 0 && d.typ != bcDataMatrix && d.typ != bcIMb {
		s.pg.t.warn(f, "human-readable text under the bar code not drawn")
	}
	var code barcode.Barcode
	var err error
	text := func() string { return afp.DecodeText(data, afp.DefaultCodePage) }
	height := d.height
	if height == 0 {
		height = 36 // half an inch
	}
	switch d.typ {
	case bcDataMatrix:
		if len(data) < 10 {
			return fmt.Errorf("Data Matrix parameters of %d bytes", len(data))
		}
		payload := data[10:]
		if data[0]&0x80 != 0 { // the printer converts EBCDIC to ASCII
			payload = []byte(afp.DecodeText(payload, afp.DefaultCodePage))
		}
		code, err = datamatrix.Encode(string(payload))
		if err != nil {
			return err
		}
		s.drawModules(a, code, x0, y0, d.module, d.module, d.color)
		return nil
	case bcCode128:
		code, err = code128.Encode(text())
	case bcCode39:
		code, err = code39.Encode(strings.Trim(text(), "*"), false, false)
	case bcI2of5:
		code, err = twooffive.Encode(text(), true)
	case bcIMb:
		return s.drawIMb(a, text(), x0, y0, d)
	default:
		return fmt.Errorf("bar code type not supported")
	}
	if err != nil {
		return err
	}
	s.drawModules(a, code, x0, y0, d.module, height, d.color)
	return nil
}

// drawModules fills the dark modules of a symbol, row by row, a run of
// dark modules a rectangle; a 1D symbol is one row of the given height.
func (s *space) drawModules(a objectArea, code barcode.Barcode, x0, y0, mw, mh float64, color [3]float64) {
	r := code.Bounds()
	rows := r.Dy()
	if rows <= 1 || r.Dx() > 0 && code.Metadata().Dimensions == 1 {
		rows = 1
	}
	c := &s.pg.content
	fmt.Fprintf(c, "%s %s %s rg\n", num(color[0]), num(color[1]), num(color[2]))
	for y := 0; y < rows; y++ {
		for x := r.Min.X; x < r.Max.X; {
			if !dark(code, x, r.Min.Y+y) {
				x++
				continue
			}
			e := x
			for e < r.Max.X && dark(code, e, r.Min.Y+y) {
				e++
			}
			c.WriteString(s.areaRect(a, x0+float64(x-r.Min.X)*mw, y0+float64(y)*mh, float64(e-x)*mw, mh))
			x = e
		}
	}
	c.WriteString("f\n")
}

func dark(code barcode.Barcode, x, y int) bool {
	cr, cg, cb, _ := code.At(x, y).RGBA()
	return cr+cg+cb < 3*0x8000
}

// drawIMb draws a USPS Intelligent Mail barcode: 65 bars of four kinds.
func (s *space) drawIMb(a objectArea, digits string, x0, y0 float64, d barcodeDesc) error {
	digits = strings.TrimSpace(digits)
	if len(digits) < 20 {
		return fmt.Errorf("IMb data %q: want 20 to 31 digits", digits)
	}
	code, err := imb.New(digits[:20], digits[20:])
	if err != nil {
		return err
	}
	// USPS-B-3200: bars 0.02 in wide at 22 to 24 per inch; full bar
	// 0.145 in, tracker 0.05 in, ascender and descender between.
	const pitch, barW, full, track = 72.0 / 22.5, 72 * 0.02, 72 * 0.145, 72 * 0.05
	half := (full + track) / 2
	c := &s.pg.content
	fmt.Fprintf(c, "%s %s %s rg\n", num(d.color[0]), num(d.color[1]), num(d.color[2]))
	for i, bar := range code.Bars {
		top, bot := (full-track)/2, (full+track)/2
		switch bar {
		case 'F':
			top, bot = 0, full
		case 'A':
			top, bot = 0, half
		case 'D':
			top, bot = full-half, full
		}
		c.WriteString(s.areaRect(a, x0+float64(i)*pitch, y0+top, barW, bot-top))
	}
	c.WriteString("f\n")
	return nil
}

// areaRect is a path of the rectangle x, y, w, h of an object area (its
// top left corner and size in points along the area's axes).
func (s *space) areaRect(a objectArea, x, y, w, h float64) string {
	if !a.rotated {
		px, py := s.onPage(a, x, y)
		return num(px) + " " + num(s.pg.hPt-py-h) + " " + num(w) + " " + num(h) + " re\n"
	}
	var b strings.Builder
	for i, p := range [4][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}} {
		px, py := s.onPage(a, p[0], p[1])
		op := " l "
		if i == 0 {
			op = " m "
		}
		b.WriteString(num(px) + " " + num(s.pg.hPt-py) + op)
	}
	b.WriteString("h\n")
	return b.String()
}
