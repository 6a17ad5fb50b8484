package afp

import (
	"errors"
	"fmt"
)

// Sentinel errors. A FormatError wraps one of them, so callers can test the
// kind with errors.Is and still print the offset and field.
var (
	// ErrTruncated: the input ends inside a field or a structure.
	ErrTruncated = errors.New("afp: truncated input")
	// ErrLength: a field's length is below 8 or disagrees with its contents.
	ErrLength = errors.New("afp: bad length")
	// ErrSyntax: bytes that are neither a structured field nor tolerated
	// filler (record descriptor, CR, LF, NUL).
	ErrSyntax = errors.New("afp: not a structured field")
	// ErrField: a field's contents cannot be decoded (extension, padding,
	// triplets, a TLE without a name or value) or encoded by the Writer.
	ErrField = errors.New("afp: bad field contents")
	// ErrStructure: begin and end fields that do not pair up, fields where
	// they cannot be (nested BNG, a page outside a document), a missing EDT.
	ErrStructure = errors.New("afp: bad structure")
	// ErrMediumMap: an IMM names a medium map the form map does not hold.
	ErrMediumMap = errors.New("afp: unknown medium map")
	// ErrCodePage: a code page this package has no table for.
	ErrCodePage = errors.New("afp: unsupported code page")
	// ErrOrder: a piece order with an unknown or repeated piece.
	ErrOrder = errors.New("afp: bad piece order")
)

// FormatError is an error in the input, at a byte offset, in or after a
// named field.
type FormatError struct {
	Offset int64  // byte offset in the input
	Field  string // name of the field concerned ("BNG", "D3A7CA"); "" at the start of the input
	Detail string // what is wrong, in words
	Err    error  // the sentinel: ErrTruncated, ErrLength, ErrSyntax, ErrField, ErrStructure, ErrMediumMap
}

func (e *FormatError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("afp: offset %d: %s", e.Offset, e.Detail)
	}
	return fmt.Sprintf("afp: offset %d: %s: %s", e.Offset, e.Field, e.Detail)
}

// Unwrap returns the sentinel.
func (e *FormatError) Unwrap() error { return e.Err }

// formatErr builds a FormatError with a formatted detail.
func formatErr(sentinel error, off int64, field string, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Field: field, Detail: fmt.Sprintf(format, args...), Err: sentinel}
}
