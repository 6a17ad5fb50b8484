package mailpiece

import (
	"fmt"

	"github.com/omsd/omsd/meta"
)

// Fixed cuts a print file of pageCount pages into pieces of pagesPerPiece
// pages each. pageCount must be a multiple of pagesPerPiece.
func Fixed(pageCount, pagesPerPiece int, duplex bool) ([]Piece, error) {
	switch {
	case pagesPerPiece < 1:
		return nil, fmt.Errorf("fixed pieces: %d pages per piece; want at least 1", pagesPerPiece)
	case pageCount < 1:
		return nil, fmt.Errorf("fixed pieces: %w: the print file has no pages", ErrInconsistent)
	case pageCount%pagesPerPiece != 0:
		return nil, fmt.Errorf("fixed pieces: %w: %d pages are not a whole number of %d-page pieces (%d pages left over)",
			ErrInconsistent, pageCount, pagesPerPiece, pageCount%pagesPerPiece)
	}
	var pieces []Piece
	for i := range pageCount / pagesPerPiece {
		pieces = append(pieces, newPiece(i+1, 1+i*pagesPerPiece, pagesPerPiece, meta.Fields{}, duplex))
	}
	return pieces, nil
}

// Whole returns the whole print file of pageCount pages as one piece, or
// nil if pageCount is less than 1.
func Whole(pageCount int, duplex bool) []Piece {
	if pageCount < 1 {
		return nil
	}
	return []Piece{newPiece(1, 1, pageCount, meta.Fields{}, duplex)}
}
