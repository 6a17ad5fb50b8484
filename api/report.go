package api

import (
	"net/url"
	"time"
)

// Report kinds: the path element of GET /v1/reports/{kind}.
const (
	ReportVolumes  = "volumes"  // pieces, pages, sheets, envelopes in and out
	ReportPostage  = "postage"  // envelopes and postage by carrier product, reprints included
	ReportReprints = "reprints" // reprint jobs, pieces reprinted, reprint rate
	ReportSLA      = "sla"      // runs with a deadline: met, missed, open
)

// ReportKinds lists the report kinds.
var ReportKinds = []string{ReportVolumes, ReportPostage, ReportReprints, ReportSLA}

// Report groupings, the by query parameter.
const (
	ByDay      = "day"  // the day the run arrived, in the daemon's time zone
	ByWeek     = "week" // its ISO week, 2026-W45
	ByWorkflow = "workflow"
	ByPrinter  = "printer"  // the run's printer or pool
	ByCustomer = "customer" // the run's job metadata field "customer" ("" without)
)

// ReportGroupings lists the groupings.
var ReportGroupings = []string{ByDay, ByWeek, ByWorkflow, ByPrinter, ByCustomer}

// CustomerField is the job metadata field the customer grouping reads.
const CustomerField = "customer"

// PathReports is the prefix of GET /v1/reports/{kind}?from=&to=&by=.
const PathReports = "/v1/reports"

// Query parameters of the reports.
const (
	ParamFrom = "from" // RFC 3339: the first instant of the window
	ParamTo   = "to"   // RFC 3339: the instant after the window
	ParamBy   = "by"   // one of ReportGroupings; "" for one total
)

// ReportQuery selects a report: the runs (jobs that are not reprints)
// that arrived in [From, To), grouped By.
type ReportQuery struct {
	Kind     string
	From, To time.Time
	By       string
}

// ReportKindPath is the path of a kind of report: /v1/reports/{kind}.
func ReportKindPath(kind string) string { return PathReports + "/" + kind }

// Values are q's query parameters.
func (q ReportQuery) Values() url.Values {
	v := url.Values{}
	v.Set(ParamFrom, q.From.Format(time.RFC3339))
	v.Set(ParamTo, q.To.Format(time.RFC3339))
	if q.By != "" {
		v.Set(ParamBy, q.By)
	}
	return v
}

// Report is a report over the runs of a window: one row per group (in
// the groups' order: by time, or by name) and their total. Every figure of
// a row is the sum of the figures of its runs' close-out reports (GET
// /v1/jobs/{id}/report), whose first jobs Jobs lists.
type Report struct {
	Kind  string      `json:"kind"`
	From  time.Time   `json:"from"`
	To    time.Time   `json:"to"`
	By    string      `json:"by,omitempty"`
	Rows  []ReportRow `json:"rows"`
	Total ReportRow   `json:"total"`
}

// ReportRow is one group of a report.
type ReportRow struct {
	Key  string  `json:"key"`  // the day, week, workflow or printer; "total"
	Runs int     `json:"runs"` // runs that arrived in the window
	Jobs []int64 `json:"jobs"` // their first jobs

	// Volumes, as the runs' close-out reports count them.
	PiecesIn  int `json:"pieces_in"`
	PagesIn   int `json:"pages_in"`
	SheetsIn  int `json:"sheets_in"`
	PiecesOut int `json:"pieces_out"`
	PagesOut  int `json:"pages_out"`  // reprints included
	SheetsOut int `json:"sheets_out"` // reprints included
	Envelopes int `json:"envelopes"`  // of the runs' plans, reprints not included

	// Postage: the runs' envelopes and their reprints', by product.
	Postage      []ProductPostage `json:"postage"`
	PostageTotal string           `json:"postage_total"`

	// Reprints: reprint jobs and their pieces; the rate is the share of
	// the pieces in that were reprinted, in percent.
	Reprints        int     `json:"reprints"`
	ReprintedPieces int     `json:"reprinted_pieces"`
	ReprintRate     float64 `json:"reprint_rate"`

	// SLA: runs with a deadline; met (completed by it), missed (completed
	// after it, or not completed and past it) and open (neither yet).
	Deadlines int `json:"deadlines"`
	Met       int `json:"met"`
	Missed    int `json:"missed"`
	Open      int `json:"open"`
}
