package spool

import (
	"time"

	"github.com/omsd/omsd/mailpiece"
)

// State is a job state. The values are IPP's job-state keywords.
type State string

const (
	Pending    State = "pending"
	Held       State = "held"
	Processing State = "processing"
	Stopped    State = "stopped"
	Canceled   State = "canceled"
	Aborted    State = "aborted"
	Completed  State = "completed"
)

// States lists every job state, in IPP's order.
var States = []State{Pending, Held, Processing, Stopped, Canceled, Aborted, Completed}

// Terminal reports whether a job in state s is finished for good.
func (s State) Terminal() bool { return s == Canceled || s == Aborted || s == Completed }

// Valid reports whether s is one of States.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// Job is one print file taken in by omsd, from a hot folder or the API.
type Job struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"` // the file name as it arrived
	Workflow     string   `json:"workflow"`
	Printer      string   `json:"printer"`
	State        State    `json:"state"`
	StateReasons []string `json:"state_reasons"`     // IPP job-state-reasons keywords
	Message      string   `json:"message,omitempty"` // human-readable detail of the last change
	Source       string   `json:"source"`            // hot folder directory, "api", "lpd" or "ipp"
	User         string   `json:"user,omitempty"`    // who sent it (network receivers)
	Origin       string   `json:"origin,omitempty"`  // where it came from, e.g. "lpd 10.1.2.3:721 queue stmts"
	// Metadata is the job's own metadata (e.g. LPD -o options, IPP
	// attributes): every piece's default for these fields.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Copies is how many copies of the job's outputs the printer makes
	// (a network sender's copies); 0 and 1 mean one.
	Copies     int      `json:"copies,omitempty"`
	Input      string   `json:"input"`             // the print file's name inside the job directory
	Sidecar    string   `json:"sidecar,omitempty"` // the sidecar's name inside the job directory
	Outputs    []Output `json:"outputs,omitempty"` // the composed print files, sent in order
	Format     string   `json:"format,omitempty"`  // the outputs' MIME type
	Pieces     int      `json:"pieces"`
	Pages      int      `json:"pages"`
	Sheets     int      `json:"sheets"`
	SheetsSent int      `json:"sheets_sent"`
	Attempts   int      `json:"attempts"`           // dispatch attempts started
	Priority   int      `json:"priority,omitempty"` // higher is dispatched first
	// Warnings are what composing the outputs found wrong with the
	// layout, e.g. page content inside the inserter marks' clear zones.
	Warnings []string  `json:"warnings,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	// ReprintOf is the job whose pieces a reprint job prints again (the
	// first job of the run); Generation counts the reprints, 0 for it.
	ReprintOf  int64 `json:"reprint_of,omitempty"`
	Generation int   `json:"generation,omitempty"`
	// Loop is the closed loop with the inserting line, on the first job of
	// a run that goes through one.
	Loop *Loop `json:"loop,omitempty"`
	// Compacted is when retention removed the job's print data, pieces,
	// sends and events; only this record is left. Zero while they are kept.
	Compacted time.Time `json:"compacted,omitzero"`
	// TracksRemoved says DeleteTracks removed the run's piece histories.
	TracksRemoved bool `json:"tracks_removed,omitempty"`
	// Intake is the journal of the move out of a hot folder; nil for jobs
	// from the API and reprints.
	Intake *Intake `json:"intake,omitempty"`
}

// Loop is how far an inserting line accounted for a job's pieces.
type Loop struct {
	Line   string `json:"line"`
	State  string `json:"state"` // LoopOpen, LoopDecision, LoopClosed
	Reason string `json:"reason,omitempty"`
	// Alarms are integrity alarms: a piece inserted twice.
	Alarms []string `json:"alarms,omitempty"`
	// Acknowledged are alarms an operator dealt with, with the reason.
	Acknowledged []string  `json:"acknowledged,omitempty"`
	Reprints     []int64   `json:"reprints,omitempty"` // the reprint jobs
	Closed       time.Time `json:"closed,omitempty"`
	// Incidents are every integrity alarm raised, open or acknowledged,
	// with who acknowledged it, when and why; they stay for the close-out.
	Incidents []Incident `json:"incidents,omitempty"`
}

// Incident is one integrity alarm and its acknowledgement.
type Incident struct {
	Alarm  string    `json:"alarm"`
	Pieces []int     `json:"pieces,omitempty"`
	Raised time.Time `json:"raised"`
	// AckBy, AckTime and AckReason are set once it is acknowledged.
	AckBy     string    `json:"ack_by,omitempty"`
	AckTime   time.Time `json:"ack_time,omitempty"`
	AckReason string    `json:"ack_reason,omitempty"`
}

// Loop states.
const (
	LoopOpen     = "open"     // results awaited
	LoopDecision = "decision" // reprints wait for an operator
	LoopClosed   = "closed"   // every piece accounted for
)

// Output is one composed print file of a job.
type Output struct {
	Name   string `json:"name"` // "main", or the plan's output name
	File   string `json:"file"` // inside the job directory
	Pieces int    `json:"pieces"`
	Pages  int    `json:"pages"`
	Sheets int    `json:"sheets"`
	Sent   bool   `json:"sent"` // the device confirmed it
	// Seqs are the output's pieces, in print order.
	Seqs []int `json:"seqs,omitempty"`
	// Target is the printer or pool the output goes to; "" means the job's.
	Target string `json:"target,omitempty"`
	// Printer is the printer the output is queued on (a member of a pool
	// target); "" while it waits to be routed.
	Printer string `json:"printer,omitempty"`
	// Confirmed counts the output's leading pieces the device confirmed
	// printed; a resend starts after them.
	Confirmed int `json:"confirmed,omitempty"`
	// CopiesDone counts the copies of the output a printer that gets one
	// document per copy took whole (of the job's Copies, all but the
	// last, which confirms pieces); a resend starts with the next copy.
	CopiesDone int `json:"copies_done,omitempty"`
	// Failures counts failed attempts on Printer since it was queued there.
	Failures int `json:"failures,omitempty"`
	// Attempts counts the transmissions of the output begun, on any
	// printer.
	Attempts int `json:"attempts,omitempty"`
	// Reprint marks an output added by an operator's restart.
	Reprint bool `json:"reprint,omitempty"`
}

// Unsent reports whether the output still has pieces to print.
func (o Output) Unsent() bool { return !o.Sent }

// Event is one entry in the spool's event log: a job changed state, or
// something worth an operator's attention happened to it.
type Event struct {
	Seq     uint64    `json:"seq"` // increasing across the whole spool
	Time    time.Time `json:"time"`
	Job     int64     `json:"job"`
	Type    string    `json:"type"` // "state", "progress", "info", "warning"
	State   State     `json:"state,omitempty"`
	Reasons []string  `json:"reasons,omitempty"`
	Message string    `json:"message,omitempty"`
	// Printer, Output and Attempt say which transmission of which output
	// on which printer an output event is about.
	Printer string `json:"printer,omitempty"`
	Output  string `json:"output,omitempty"`
	Attempt int    `json:"attempt,omitempty"`
}

// Pieces is an alias kept for callers that deal in the spool's view of pieces.
type Piece = mailpiece.Piece
