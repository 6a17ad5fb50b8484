package topdf

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
)

// Bounds on banded images, which are decoded here: the pixels of one, and
// the pixels a byte of JPEG may stand for (white space compresses well,
// but not beyond this).
const (
	maxBandPixels = 64 << 20
	maxJPEGRatio  = 4096
)

// bandsToPDF interleaves the bands of a banded image (one band per colour
// component, 8 bits each, uncompressed or each a JPEG of its own) into
// one RGB or CMYK image.
func (im *ioImage) bandsToPDF() (*pdfImage, error) {
	n := len(im.bands)
	cs := map[int]string{3: "/DeviceRGB", 4: "/DeviceCMYK"}[n]
	if cs == "" {
		return nil, fmt.Errorf("image of %d bands not supported", n)
	}
	size := im.width * im.height
	if size > maxBandPixels {
		return nil, fmt.Errorf("banded image of %d×%d pixels, more than %d", im.width, im.height, maxBandPixels)
	}
	planes := make([][]byte, n)
	for i, b := range im.bands {
		switch im.compression {
		case compNone:
			if len(b) < size {
				return nil, fmt.Errorf("band %d of %d bytes, %d×%d needs %d", i+1, len(b), im.width, im.height, size)
			}
			planes[i] = b[:size]
		case compJPEG:
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("band %d: %v", i+1, err)
			}
			if size > len(b)*maxJPEGRatio {
				return nil, fmt.Errorf("band %d: a JPEG of %d bytes cannot hold %d×%d pixels", i+1, len(b), im.width, im.height)
			}
			if cfg.Width != im.width || cfg.Height != im.height {
				return nil, fmt.Errorf("band %d is a JPEG of %d×%d in an image of %d×%d", i+1, cfg.Width, cfg.Height, im.width, im.height)
			}
			pic, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("band %d: %v", i+1, err)
			}
			g, ok := pic.(*image.Gray)
			if !ok {
				return nil, fmt.Errorf("band %d is not a one-component JPEG", i+1)
			}
			plane := make([]byte, 0, size)
			for y := 0; y < im.height; y++ {
				plane = append(plane, g.Pix[y*g.Stride:y*g.Stride+im.width]...)
			}
			planes[i] = plane
		default:
			return nil, fmt.Errorf("banded image in compression %02X not supported", im.compression)
		}
	}
	out := make([]byte, size*n)
	for p := 0; p < size; p++ {
		for i := range planes {
			out[p*n+i] = planes[i][p]
		}
	}
	return &pdfImage{dict: fmt.Sprintf("/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace%s/BitsPerComponent 8", im.width, im.height, cs), data: out}, nil
}
