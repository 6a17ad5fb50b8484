package api

import "time"

// PathDeadlines is GET /v1/deadlines: the active jobs with a deadline.
const PathDeadlines = "/v1/deadlines"

// Deadline is an active job's deadline and when omsd predicts it will be
// printed, from the sheets queued ahead of it on its printers and their
// measured speed.
type Deadline struct {
	Job      int64     `json:"job"`
	Name     string    `json:"name"`
	Workflow string    `json:"workflow"`
	Printer  string    `json:"printer"`
	State    string    `json:"state"`
	Deadline time.Time `json:"deadline"`
	// Predicted is when its last sheet will be printed; unset when no
	// printer of it has a speed (none measured and none assumed).
	Predicted time.Time `json:"predicted,omitzero"`
	// SheetsAhead are the sheets its printers print before it is done:
	// those queued on them, its own not yet sent included.
	SheetsAhead int `json:"sheets_ahead"`
	// SheetsPerMinute is its printers' speed the prediction used.
	SheetsPerMinute float64 `json:"sheets_per_minute"`
	// AtRisk says it is predicted to finish after its deadline (or it is
	// already past it).
	AtRisk bool `json:"at_risk"`
}
