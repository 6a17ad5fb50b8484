package topdf

import (
	"encoding/binary"
	"fmt"
)

// IOCA compression identifiers.
const (
	compIBMMMR = 0x01
	compNone   = 0x03
	compRL4    = 0x06
	compG3MH   = 0x80
	compG3MR   = 0x81
	compG4     = 0x82
	compJPEG   = 0x83
)

// maxImagePixels bounds an image's or tile's declared size.
const maxImagePixels = 1 << 28

// ioImage is an image or one tile of it, as IOCA describes it.
type ioImage struct {
	width, height int     // pixels
	hres, vres    float64 // pixels per inch; 0 when not given
	x, y          int     // tile offset in the image, pixels
	compression   byte
	bits          int  // IDE size
	format        byte // IDE structure format: 0 none, 01 RGB, 04 CMYK, 12 YCbCr…
	subtractive   bool
	data          []byte
	bands         [][]byte // band image data (FE9C) by band number, from 1
}

// ioSegment is a decoded image segment: the image and its tiles.
type ioSegment struct {
	main  ioImage
	tiles []ioImage
}

// parseIOCA decodes the self-defining fields of an image segment (the IPD
// data, concatenated). Sizes are checked against the data before use.
func parseIOCA(d []byte) (*ioSegment, error) {
	seg := &ioSegment{main: ioImage{bits: 1, compression: compNone}}
	cur := &seg.main
	for p := 0; p < len(d); {
		code := d[p]
		var n, hdr int
		var ext byte
		if code == 0xFE {
			if p+4 > len(d) {
				return nil, fmt.Errorf("%w: extended field cut at byte %d", ErrImage, p)
			}
			ext = d[p+1]
			n, hdr = int(binary.BigEndian.Uint16(d[p+2:])), 4
			if n == 0 && ext == 0x92 {
				// some producers write a zero length and let the data run
				// on through the following IPDs, up to the end fields
				n = max(0, len(d)-p-4-endFieldsLen(d))
			}
		} else {
			if p+2 > len(d) {
				if code == 0x93 || code == 0x71 { // end fields may come without a length
					break
				}
				return nil, fmt.Errorf("%w: field %02X cut at byte %d", ErrImage, code, p)
			}
			n, hdr = int(d[p+1]), 2
		}
		if p+hdr+n > len(d) {
			return nil, fmt.Errorf("%w: field %02X%02X at byte %d has length %d with %d bytes left", ErrImage, code, ext, p, n, len(d)-p-hdr)
		}
		a := d[p+hdr : p+hdr+n]
		p += hdr + n
		switch {
		case code == 0xFE && ext == 0x92:
			cur.data = append(cur.data, a...)
		case code == 0xFE && ext == 0x9C && len(a) >= 3:
			band := int(a[0])
			if band < 1 || band > 4 {
				return nil, fmt.Errorf("%w: band number %d", ErrImage, band)
			}
			for len(cur.bands) < band {
				cur.bands = append(cur.bands, nil)
			}
			cur.bands[band-1] = append(cur.bands[band-1], a[3:]...)
		case code == 0x94 && n >= 9:
			unit := a[0]
			cur.hres = resolution(unit, binary.BigEndian.Uint16(a[1:]))
			cur.vres = resolution(unit, binary.BigEndian.Uint16(a[3:]))
			cur.width, cur.height = int(binary.BigEndian.Uint16(a[5:])), int(binary.BigEndian.Uint16(a[7:]))
		case code == 0x95 && n >= 1:
			cur.compression = a[0]
		case code == 0x96 && n >= 1:
			cur.bits = int(a[0])
		case code == 0x9B && n >= 2:
			cur.subtractive = a[0]&0x80 != 0
			cur.format = a[1]
		case code == 0x8C: // begin tile
			seg.tiles = append(seg.tiles, ioImage{bits: seg.main.bits, compression: seg.main.compression,
				format: seg.main.format, subtractive: seg.main.subtractive, hres: seg.main.hres, vres: seg.main.vres})
			cur = &seg.tiles[len(seg.tiles)-1]
		case code == 0x8D: // end tile
			cur = &seg.main
		case code == 0xB5 && n >= 8: // tile position
			cur.x, cur.y = int(binary.BigEndian.Uint32(a)), int(binary.BigEndian.Uint32(a[4:]))
		case code == 0xB6 && n >= 8: // tile size
			cur.width, cur.height = int(binary.BigEndian.Uint32(a)), int(binary.BigEndian.Uint32(a[4:]))
		}
	}
	for _, im := range append([]ioImage{seg.main}, seg.tiles...) {
		if im.width < 0 || im.height < 0 || im.width > 1<<20 || im.height > 1<<20 || im.width*im.height > maxImagePixels {
			return nil, fmt.Errorf("%w: image of %d×%d pixels", ErrImage, im.width, im.height)
		}
		if im.x < 0 || im.y < 0 || im.x > 1<<20 || im.y > 1<<20 {
			return nil, fmt.Errorf("%w: tile at %d,%d", ErrImage, im.x, im.y)
		}
	}
	return seg, nil
}

// endFieldsLen is the length of the End Image Content and End Segment
// fields at the end of d, if there.
func endFieldsLen(d []byte) int {
	if len(d) >= 4 && d[len(d)-4] == 0x93 && d[len(d)-3] == 0 && d[len(d)-2] == 0x71 && d[len(d)-1] == 0 {
		return 4
	}
	return 0
}

// resolution is pixels per inch for a unit base (0: per ten inches, 1:
// per ten centimetres) and a count; 0 when unknown.
func resolution(unit byte, v uint16) float64 {
	switch unit {
	case 0:
		return float64(v) / 10
	case 1:
		return float64(v) / 10 * 2.54
	}
	return 0
}

// pdfImage is what a PDF image XObject needs: its dictionary entries and
// stream, already encoded.
type pdfImage struct {
	dict string
	data []byte
	raw  bool // data encoded already (CCITT, DCT): written as is
}

// toPDF encodes an IOCA image as an image XObject, or says why not.
func (im *ioImage) toPDF() (*pdfImage, error) {
	if im.width == 0 || im.height == 0 {
		return nil, fmt.Errorf("image without a size")
	}
	if len(im.bands) == 1 {
		im.data = im.bands[0]
	} else if len(im.bands) > 1 {
		return im.bandsToPDF()
	}
	if len(im.data) == 0 {
		return nil, fmt.Errorf("image without data")
	}
	size := fmt.Sprintf("/Type/XObject/Subtype/Image/Width %d/Height %d", im.width, im.height)
	switch im.compression {
	case compNone:
		var cs string
		bpc := im.bits
		decode := ""
		switch {
		case im.bits == 1:
			cs, decode = "/DeviceGray", "/Decode[1 0]" // 1 is the foreground: black
		case im.bits == 4 || im.bits == 8:
			cs = "/DeviceGray"
			if im.subtractive {
				decode = "/Decode[1 0]"
			}
		case im.bits == 24 && (im.format == 0x01 || im.format == 0):
			cs, bpc = "/DeviceRGB", 8
		case im.bits == 32 && im.format == 0x04:
			cs, bpc = "/DeviceCMYK", 8
		default:
			return nil, fmt.Errorf("uncompressed image of %d bits per pixel in format %02X not supported", im.bits, im.format)
		}
		comps := max(1, im.bits/bpc)
		stride := (im.width*bpc*comps + 7) / 8
		want := stride * im.height
		if len(im.data) < want {
			return nil, fmt.Errorf("image data of %d bytes, %d×%d at %d bits needs %d", len(im.data), im.width, im.height, im.bits, want)
		}
		return &pdfImage{dict: fmt.Sprintf("%s/ColorSpace%s/BitsPerComponent %d%s", size, cs, bpc, decode), data: im.data[:want]}, nil
	case compIBMMMR, compG4, compG3MH, compG3MR:
		if im.bits != 1 {
			return nil, fmt.Errorf("fax-compressed image of %d bits per pixel", im.bits)
		}
		k := map[byte]int{compIBMMMR: -1, compG4: -1, compG3MH: 0, compG3MR: 1}[im.compression]
		return &pdfImage{dict: fmt.Sprintf("%s/ColorSpace/DeviceGray/BitsPerComponent 1/Filter/CCITTFaxDecode/DecodeParms<</K %d/Columns %d/Rows %d/BlackIs1 true>>",
			size, k, im.width, im.height), data: im.data, raw: true}, nil
	case compJPEG:
		cs := "/DeviceGray"
		switch {
		case im.bits == 24:
			cs = "/DeviceRGB"
		case im.bits == 32:
			cs = "/DeviceCMYK"
		}
		return &pdfImage{dict: fmt.Sprintf("%s/ColorSpace%s/BitsPerComponent 8/Filter/DCTDecode", size, cs), data: im.data, raw: true}, nil
	}
	return nil, fmt.Errorf("image compression %02X not supported", im.compression)
}
