// Package marks computes the inserter control marks of a mail run: the OMR
// codes, inserter barcodes and USPS Intelligent Mail barcodes printed on
// each sheet so that an inserting line can collate the sheets into
// envelopes, add inserts, divert, and check the sequence.
//
// The package is format-neutral. A Profile, one per inserting line, says
// which marks the line reads and where they go on the sheet; Sheets turns
// the envelopes of one output, in print order, into one SheetMarks per
// sheet: which OMR positions carry a mark, the barcode's text, the IMb's
// bars. A Stream computes the same an envelope at a time (from
// Envelopes), for a writer that draws each sheet's marks as it reaches the
// sheet and holds nothing per sheet. Geometry turns a sheet's marks into rectangles on the page. The
// renderers (marks/pdfmarks, marks/afpmarks) draw those rectangles; no PDF
// or AFP is written here.
//
// # Profiles
//
// Profiles are YAML, read strictly (an unknown key is an error). Lengths
// carry their unit: "4.23mm", "0.5pt", "0.25in", "1cm". The profiles shipped
// with omsd live in marks/profiles and are embedded (Profiles,
// LoadProfile): a Pitney Bowes-style OMR code (pb-omr), a Quadient/Neopost
// style OMR code (quadient-omr) and a Data Matrix for file-based inserting
// (datamatrix-fbp). See Profile for every key.
//
// # OMR
//
// An OMR code is a column of mark positions at a fixed pitch, read in the
// order the profile lists them, starting at the profile's corner. Each
// position has a kind:
//
//	BM     benchmark: always printed
//	SAF    safety: always printed
//	RT, TM retiming and timing marks: always printed
//	IGN    ignored position: never printed
//	BOC    beginning of collation: on the first sheet of an envelope
//	EOC    end of collation: on the last sheet (Quadient's "insert" mark)
//	NBOC   not beginning of collation: on every sheet but the first
//	NEOC   not end of collation: on every sheet but the last
//	PAR    parity: makes the number of marks counted even or odd
//	SFn    select feed n: the envelope takes the insert of station n
//	DVF    divert: the envelope is diverted
//	AB     auto batch: the envelope ends a batch
//	WAS    one bit of the wrap-around sheet sequence
//	MC     one bit of the envelope's match code
//
// WAS and MC positions are bits of one number each; the profile says
// whether the first of them in read order is the least or the most
// significant bit.
//
// # Barcode content
//
// A barcode's content is a template: literal text and fields in braces,
// each with an optional width (digits are padded with zeros on the left,
// other text with spaces on the right; a longer value is an error):
//
//	{job}        the job's ID (JobInfo.ID)
//	{envelope}   the envelope's ID: the mail piece ID, sequential in the run
//	{piece}      the sequence number of the document on the sheet
//	{sheet}      the sheet's number in its envelope, from 1
//	{sheets}     the envelope's number of sheets
//	{eoc}        1 on the envelope's last sheet, else 0
//	{counter}    the sheet's running number in the output, from 1
//	{feeders}    one digit per select-feed station: 1 if it feeds
//	{divert}     the envelope's divert code, 0 when none
//	{reprint}    the envelope's reprint generation, 0 for the first print
//	{meta.KEY}   the piece's metadata field KEY
//
// "{{" and "}}" stand for literal braces. A check character (mod10 or
// mod43) may be appended.
package marks

import "errors"

var (
	// ErrProfile reports a profile that cannot be used: a bad key, value
	// or geometry.
	ErrProfile = errors.New("marks: invalid profile")
	// ErrUnknownProfile reports a shipped profile name that does not exist.
	ErrUnknownProfile = errors.New("marks: unknown profile")
	// ErrSheets reports envelopes that cannot be marked: a piece whose
	// sheets do not hold its pages, a duplicate envelope.
	ErrSheets = errors.New("marks: invalid envelopes")
	// ErrContent reports barcode content that the symbology cannot carry
	// or that does not fit the template's widths.
	ErrContent = errors.New("marks: invalid barcode content")
)
