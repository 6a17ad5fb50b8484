package api

import "time"

// PrinterCaps is what a printer can print, as the pools route by it: what
// the configuration declares, else what the device said when asked (IPP).
// A nil Duplex or Color, or an empty list, is not known: not checked.
type PrinterCaps struct {
	Formats []string `json:"formats,omitempty"` // MIME types
	Duplex  *bool    `json:"duplex,omitempty"`
	Color   *bool    `json:"color,omitempty"`
	Media   []string `json:"media,omitempty"`
	// Asked says the device was asked (IPP) and answered.
	Asked bool `json:"asked,omitempty"`
}

// PrinterPolicy is a printer's error policy: what omsd does when it fails
// a job (CUPS' printer-error-policy: retry-job, retry-current-job,
// stop-printer, abort-job), how often and how long apart it retries, and
// after how many failures in a row its pool work fails over.
type PrinterPolicy struct {
	Action        string        `json:"action"`
	Interval      time.Duration `json:"interval"`
	Limit         int           `json:"limit"`
	FailoverAfter int           `json:"failover_after"`
}

// PrinterCounters count what a printer did since omsd started.
type PrinterCounters struct {
	Since       time.Time `json:"since"`
	OutputsSent int       `json:"outputs_sent"` // outputs the device took
	SheetsSent  int       `json:"sheets_sent"`  // their sheets
	Failures    int       `json:"failures"`     // attempts that failed
	// FailuresInRow are the failed attempts since its last success.
	FailuresInRow int `json:"failures_in_row"`
}
