package topdf

import "errors"

// Sentinel errors, wrapped with the details.
var (
	// ErrFont: a font file or the font table cannot be read.
	ErrFont = errors.New("topdf: bad font")
	// ErrInput: the print file cannot be transformed (no pages, a
	// structure this package cannot follow, a resource too large).
	ErrInput = errors.New("topdf: cannot transform")
	// ErrPiece: the piece asked for is not in the file.
	ErrPiece = errors.New("topdf: no such piece")
	// ErrImage: an image whose data cannot be decoded.
	ErrImage = errors.New("topdf: bad image")
)
