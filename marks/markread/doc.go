// Package markread reads inserter marks back from pixels, as the camera
// and OMR reader of an inserting line do: it renders pages of a PDF into
// grey images (pdftoppm, Debian poppler-utils), finds the dark lines of an
// OMR code and rebuilds the sheet's code from a profile's positions,
// decodes Data Matrix symbols with dmtxread (dmtx-utils) and 1D codes with
// zbarimg (zbar-tools), and classifies the bars of an IMb into its 65
// letters.
//
// Images know which area of the page they show (Image), so that a reader
// maps pixels to the profile's positions in points whatever was rendered.
// A Camera is the whole reader of one line: given the views of a sheet
// (the zones of its profile, rendered), it returns what the line would
// learn from it (SheetRead): collation, sequence, feeders, parity, the
// barcode's text and the IMb.
//
// The package serves the tests that prove the renderers, omsctl preview,
// the check of a job's first pages for content inside the marks' zones,
// and a line simulator. It starts external programs.
package markread

import "errors"

var (
	// ErrTool reports that an external program is missing; the message
	// names the Debian package to install.
	ErrTool = errors.New("markread: program not found")
	// ErrRender reports that pages could not be rendered.
	ErrRender = errors.New("markread: rendering failed")
	// ErrUnreadable reports marks that do not read as the profile says: a
	// line off every position or of the wrong thickness, no bars.
	ErrUnreadable = errors.New("markread: marks unreadable")
)
