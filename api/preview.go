package api

// Query parameters of GET /v1/jobs/{id}/preview.
const (
	ParamPiece = "piece" // the piece's sequence number
	ParamImage = "image" // "1" to include the PNG
)

// PreviewPath is the path of the marks preview of job id's pieces:
// /v1/jobs/{id}/preview, with ?piece=N[&image=1].
func PreviewPath(id int64) string { return JobPath(id) + "/preview" }

// Preview is the inserter marks of the sheets of one piece, as its output
// prints them.
type Preview struct {
	Job     int64  `json:"job"`
	Piece   int    `json:"piece"`
	Output  string `json:"output"`  // the output (or chunk) the piece prints in
	Profile string `json:"profile"` // the workflow's mark profile
	Format  string `json:"format"`  // pdf or afp
	// Positions are the kinds of the profile's OMR positions, in read
	// order; empty without an OMR code.
	Positions []string       `json:"positions,omitempty"`
	Sheets    []PreviewSheet `json:"sheets"`
	// PNG shows the sheets, one row each (front, then back in duplex):
	// PDF pages rendered as printed, for AFP a drawing of the marks on
	// the sheet. Only when asked for.
	PNG []byte `json:"png,omitempty"`
}

// PreviewSheet is the planned marks of one sheet.
type PreviewSheet struct {
	Envelope         int `json:"envelope"`
	SheetInEnvelope  int `json:"sheet_in_envelope"`
	SheetsInEnvelope int `json:"sheets_in_envelope"`
	SheetInPiece     int `json:"sheet_in_piece"`
	Counter          int `json:"counter"` // the sheet's number in the output
	Sequence         int `json:"sequence,omitempty"`
	Match            int `json:"match,omitempty"`
	// OMR is the code, one character per position in read order: 1 for a
	// mark, 0 for none.
	OMR     string `json:"omr,omitempty"`
	Barcode string `json:"barcode,omitempty"`
	IMb     string `json:"imb,omitempty"`
}
