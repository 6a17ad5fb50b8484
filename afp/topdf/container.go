package topdf

import (
	"bytes"
	"fmt"
	"image/color"
	"image/jpeg"
)

// drawContainer renders an object container included by an IOB: a JPEG
// is drawn as itself (DCTDecode) in the include's area; other kinds
// (TIFF, GIF, PDF, fonts) are reported.
func (s *space) drawContainer(o *dataObject) error {
	t := s.pg.t
	var data []byte
	for _, f := range o.fields {
		if f.ID == idOCD {
			if len(data)+len(f.Data) > maxObjectBytes {
				t.warn(o.begin, "object container of more than %d bytes; nothing drawn", maxObjectBytes)
				return nil
			}
			data = append(data, f.Data...)
		}
	}
	kind := "unknown data"
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		kind = "JPEG"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		kind = "TIFF"
	case bytes.HasPrefix(data, []byte("%PDF")):
		kind = "PDF"
	case bytes.HasPrefix(data, []byte("GIF8")):
		kind = "GIF"
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		kind = "PNG"
	}
	if kind != "JPEG" {
		t.warn(o.begin, "object container of %s not supported; nothing drawn in its place", kind)
		return nil
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		t.warn(o.begin, "JPEG object that does not decode (%v); nothing drawn", err)
		return nil
	}
	cs := map[int]string{1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}[colorComponents(cfg.ColorModel)]
	var a objectArea
	if o.area != nil {
		a = *o.area
	}
	// without a resolution of its own the JPEG is taken at 72 pixels an inch
	x, y, w, h, clip := s.placement(a, float64(cfg.Width), float64(cfg.Height))
	c := &s.pg.content
	c.WriteString("q\n")
	if clip && a.w > 0 {
		c.WriteString(s.clipArea(a))
	}
	name := t.writeImage(s.pg, &pdfImage{dict: fmt.Sprintf("/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace%s/BitsPerComponent 8/Filter/DCTDecode",
		cfg.Width, cfg.Height, cs), data: data, raw: true})
	fmt.Fprintf(c, "q %s cm /%s Do Q\nQ\n", s.imageMatrix(a, x, y, w, h), name)
	return nil
}

// colorComponents is the number of components of a JPEG's colour model.
func colorComponents(m color.Model) int {
	switch m {
	case color.GrayModel:
		return 1
	case color.CMYKModel:
		return 4
	}
	return 3
}
