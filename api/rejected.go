package api

import "time"

// PathRejected lists the newest files in the error folder: GET, with
// ParamLimit (DefaultRejectedLimit if unset).
const PathRejected = "/v1/rejected"

// DefaultRejectedLimit is how many error-folder files the listing shows by
// default.
const DefaultRejectedLimit = 20

// Rejected is one file omsd moved to its error folder, from the
// NAME.error.json beside it: what it was, why, and what to do next.
type Rejected struct {
	File         string    `json:"file"` // its name in the error folder
	OriginalName string    `json:"original_name"`
	Job          int64     `json:"job"`
	Workflow     string    `json:"workflow"`
	Source       string    `json:"source"`
	Reason       string    `json:"reason"`
	Error        string    `json:"error"`
	Time         time.Time `json:"time"`
	Next         string    `json:"next"`
}
