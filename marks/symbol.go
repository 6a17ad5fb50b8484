package marks

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/code39"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/twooffive"
)

// Symbologies of inserter barcodes.
const (
	DataMatrix = "datamatrix"
	Code128    = "code128"
	Code39     = "code39"
	I2of5      = "i2of5"
)

// symbol is an encoded barcode as a matrix of modules, row 0 at the top; a
// 1D code has one row.
type symbol struct {
	cols, rows int
	dark       []bool // row-major
}

func (s *symbol) at(x, y int) bool { return s.dark[y*s.cols+x] }

// is2D reports whether the symbology is two-dimensional.
func is2D(symbology string) bool { return symbology == DataMatrix }

// checkChars checks that the symbology can carry text.
func checkChars(symbology, text string) error {
	bad := -1
	switch symbology {
	case DataMatrix, Code128:
		bad = strings.IndexFunc(text, func(r rune) bool { return r > 127 })
	case Code39:
		bad = strings.IndexFunc(text, func(r rune) bool { return !strings.ContainsRune(code39Chars, r) })
	case I2of5:
		bad = strings.IndexFunc(text, func(r rune) bool { return r < '0' || r > '9' })
	}
	if bad >= 0 {
		return fmt.Errorf("%w: %q: %s cannot carry %q", ErrContent, text, symbology, text[bad:bad+1])
	}
	return nil
}

// encodeSymbol encodes text in the symbology. The encoder is a third-party
// package: a panic in it is turned into an error.
func encodeSymbol(symbology, text string) (s *symbol, err error) {
	if err := checkChars(symbology, text); err != nil {
		return nil, err
	}
	if text == "" {
		return nil, fmt.Errorf("%w: empty content", ErrContent)
	}
	if symbology == I2of5 && len(text)%2 != 0 {
		return nil, fmt.Errorf("%w: %q: i2of5 needs an even number of digits", ErrContent, text)
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%w: %q: %s encoder failed: %v", ErrContent, text, symbology, r)
		}
	}()
	var bc barcode.Barcode
	switch symbology {
	case DataMatrix:
		bc, err = datamatrix.EncodeWithColor(text, barcode.ColorScheme8)
	case Code128:
		bc, err = code128.EncodeWithColor(text, barcode.ColorScheme8)
	case Code39:
		bc, err = code39.EncodeWithColor(text, false, false, barcode.ColorScheme8)
	case I2of5:
		bc, err = twooffive.EncodeWithColor(text, true, barcode.ColorScheme8)
	default:
		return nil, fmt.Errorf("%w: symbology %q", ErrProfile, symbology)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %s: %v", ErrContent, text, symbology, err)
	}
	return modules(bc), nil
}

// modules reads a barcode's module matrix.
func modules(bc barcode.Barcode) *symbol {
	b := bc.Bounds()
	s := &symbol{cols: b.Dx(), rows: b.Dy()}
	s.dark = make([]bool, s.cols*s.rows)
	for y := range s.rows {
		for x := range s.cols {
			g := color.GrayModel.Convert(bc.At(b.Min.X+x, b.Min.Y+y)).(color.Gray)
			s.dark[y*s.cols+x] = g.Y < 128
		}
	}
	return s
}
