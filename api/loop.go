package api

import (
	"strconv"
	"time"
)

// Paths and actions of the closed loop with the inserting lines.
const (
	ActionReprint = "reprint" // POST /v1/jobs/{id}/reprint, body ReprintRequest
	ActionAck     = "ack"     // POST /v1/jobs/{id}/ack, body AlarmAck
	EventAlarm    = "alarm"   // event type of an integrity alarm
)

// ReportPath is the path of job id's close-out report: /v1/jobs/{id}/report.
func ReportPath(id int64) string { return JobPath(id) + "/report" }

// TrackPath is the path of a piece's history: /v1/jobs/{id}/pieces/{seq}/track.
func TrackPath(id int64, seq int) string {
	return JobPath(id) + "/pieces/" + strconv.Itoa(seq) + "/track"
}

// Loop is how far the inserting line accounted for a job's pieces.
type Loop struct {
	Line   string   `json:"line"`
	State  string   `json:"state"` // open, decision, closed
	Reason string   `json:"reason,omitempty"`
	Alarms []string `json:"alarms,omitempty"` // integrity alarms: pieces inserted twice
	// Acknowledged are the alarms an operator has dealt with, each with
	// the operator's reason.
	Acknowledged []string  `json:"acknowledged,omitempty"`
	Reprints     []int64   `json:"reprints,omitempty"`
	Closed       time.Time `json:"closed,omitempty"`
}

// AlarmAck acknowledges a run's integrity alarms: the operator has dealt
// with the pieces (pulled the extra envelope, say) and says how.
type AlarmAck struct {
	Reason string `json:"reason"`
	// By is who acknowledges: omsctl sends the OS user; empty is
	// "operator".
	By string `json:"by,omitempty"`
}

// ReprintRequest asks for a reprint of a job's pieces: those named, or
// every piece the line reported damaged or unread; Target is the printer
// or pool (default: the job's); Copies the copies of each piece (default:
// as many as the run made).
type ReprintRequest struct {
	Pieces []int  `json:"pieces,omitempty"`
	Target string `json:"target,omitempty"`
	Copies int    `json:"copies,omitempty"`
}

// ReprintResult is the run's first job and the reprint job created.
type ReprintResult struct {
	Job     Job `json:"job"`
	Reprint Job `json:"reprint"`
}

// PieceEvent is one step of a piece's history.
type PieceEvent struct {
	Time       time.Time `json:"time"`
	Kind       string    `json:"kind"` // received, planned, printed, inserted, diverted, hand-mailed, damaged, unread, reprinted, closed
	Job        int64     `json:"job,omitempty"`
	Generation int       `json:"generation,omitempty"`
	Line       string    `json:"line,omitempty"`
	Device     string    `json:"device,omitempty"`
	Operator   string    `json:"operator,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	File       string    `json:"file,omitempty"`
	FileLine   int       `json:"file_line,omitempty"`
}

// Track is one piece's history and where it stands.
type Track struct {
	Job    int64        `json:"job"` // the run's first job
	Seq    int          `json:"seq"`
	Status string       `json:"status"` // open, inserted, diverted, hand-mailed, needs-reprint, reprinting
	Piece  Piece        `json:"piece"`
	Events []PieceEvent `json:"events"`
}

// JobReport is a run's close-out: what came in, what went out, and what
// the inserting line accounted for.
type JobReport struct {
	Job       int64  `json:"job"`
	Name      string `json:"name"`
	Line      string `json:"line,omitempty"`
	State     string `json:"state"`      // the job's state
	Loop      string `json:"loop"`       // open, decision, closed, or none
	PiecesIn  int    `json:"pieces_in"`  // pieces of the input
	PagesIn   int    `json:"pages_in"`   // pages of the input
	SheetsIn  int    `json:"sheets_in"`  // sheets of the planned print
	PiecesOut int    `json:"pieces_out"` // pieces resolved: inserted, diverted or hand-mailed; without a line, printed
	// PiecesPrinted counts the pieces the printers confirmed printed.
	PiecesPrinted int `json:"pieces_printed"`
	// NoLine says the run goes through no inserting line (print only):
	// its pieces out and status are the pieces printed, its unaccounted
	// pieces those not printed.
	NoLine    bool `json:"no_line,omitempty"`
	PagesOut  int  `json:"pages_out"`  // pages printed, reprints included
	SheetsOut int  `json:"sheets_out"` // sheets printed, reprints included
	Held      int  `json:"held"`       // pieces the plan held back, never printed
	Envelopes int  `json:"envelopes"`
	// Status counts the pieces by closed-loop status.
	Status      map[string]int   `json:"status"`
	Postage     []ProductPostage `json:"postage,omitempty"`
	Reprints    []ReprintSummary `json:"reprints,omitempty"`
	Unaccounted []int            `json:"unaccounted"` // expected pieces not resolved
	// Alarms are the integrity alarms not yet acknowledged.
	Alarms []string `json:"alarms,omitempty"`
	// Incidents are every integrity alarm the run raised, open or
	// acknowledged, with the acknowledgement.
	Incidents []Incident `json:"incidents,omitempty"`
	// ReprintPostage is the postage of the reprints' envelopes by product;
	// PostageTotal the run's planned postage and its reprints'.
	ReprintPostage []ProductPostage `json:"reprint_postage,omitempty"`
	PostageTotal   string           `json:"postage_total,omitempty"`
	// Channels counts the run's pieces by channel (print, email, portal,
	// email+print, suppress) when a channel was decided.
	Channels map[string]int `json:"channels,omitempty"`
}

// Incident is one integrity alarm of a run: what the line reported (a
// piece inserted twice), when omsd raised it, and its acknowledgement.
type Incident struct {
	Alarm  string    `json:"alarm"`
	Pieces []int     `json:"pieces,omitempty"`
	Raised time.Time `json:"raised,omitempty"`
	// Acknowledged is nil while the alarm is open.
	Acknowledged *Ack `json:"acknowledged,omitempty"`
}

// Ack is an operator's acknowledgement of an integrity alarm.
type Ack struct {
	By     string    `json:"by"` // the OS user or API caller, else "operator"
	Time   time.Time `json:"time"`
	Reason string    `json:"reason"`
}

// ReprintPostage is the postage of one reprint job's envelopes, planned
// afresh with the workflow's postage settings.
type ReprintPostage struct {
	Job        int64            `json:"job"`
	Generation int              `json:"generation"`
	Pieces     []int            `json:"pieces"`
	Envelopes  int              `json:"envelopes"`
	Postage    []ProductPostage `json:"postage,omitempty"`
	Total      string           `json:"total"`
}

// ProductPostage is the envelopes and postage of one carrier product.
type ProductPostage struct {
	Product   string `json:"product"`
	Envelopes int    `json:"envelopes"`
	Postage   string `json:"postage"`
}

// ReprintSummary is one reprint job of a run.
type ReprintSummary struct {
	Job        int64  `json:"job"`
	Generation int    `json:"generation"`
	Pieces     int    `json:"pieces"`
	Sheets     int    `json:"sheets"`
	State      string `json:"state"`
	Envelopes  int    `json:"envelopes"`
	Postage    string `json:"postage,omitempty"` // of its envelopes, planned afresh
}
