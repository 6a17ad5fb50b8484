// Package api holds the wire types of omsd's local API: the JSON documents
// that the daemon's handler (package localapi) writes and the typed client
// (package client) reads. The JSON names are a contract that scripts rely on;
// change them only together with the path version (/v1).
package api

import (
	"time"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/postage"
)

// Job is one print file taken in by omsd, as the API shows it.
type Job struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Workflow     string   `json:"workflow"`
	Printer      string   `json:"printer"`
	State        string   `json:"state"`             // one of JobStates
	StateReasons []string `json:"state_reasons"`     // IPP job-state-reasons keywords
	Message      string   `json:"message,omitempty"` // detail of the last change
	Source       string   `json:"source"`            // hot folder directory, "api", "lpd" or "ipp"
	User         string   `json:"user,omitempty"`    // who sent it (network receivers)
	Origin       string   `json:"origin,omitempty"`  // where it came from, e.g. "ipp alice@10.1.2.3"
	// Metadata is the job's own metadata (a network sender's options):
	// every piece's default for these fields.
	Metadata   map[string]string `json:"metadata,omitempty"`
	Copies     int               `json:"copies,omitempty"` // copies of its print made, when more than one
	Pieces     int               `json:"pieces"`
	Pages      int               `json:"pages"`
	Sheets     int               `json:"sheets"`
	SheetsSent int               `json:"sheets_sent"`
	Attempts   int               `json:"attempts"`           // dispatch attempts started
	Priority   int               `json:"priority,omitempty"` // dispatch order: higher first
	Warnings   []string          `json:"warnings,omitempty"` // layout problems found composing the outputs
	Created    time.Time         `json:"created"`
	Updated    time.Time         `json:"updated"`
	// Compacted is when spool.retention removed the job's print data,
	// pieces and events; unset while they are kept.
	Compacted time.Time `json:"compacted,omitzero"`
}

// JobQuery selects the jobs GET /v1/jobs lists, by ascending ID. By
// default: every active job (pending, held, processing, stopped) and the
// Limit newest finished ones (DefaultJobsLimit if 0) with an ID below
// Before (when set). With All: the Limit newest jobs (every one if 0) of
// any state below Before. States narrows either. A page that holds Limit
// finished (or, with All, any) jobs may have older ones: ask again with
// Before set to the lowest of their IDs.
type JobQuery struct {
	States []string
	All    bool
	Limit  int
	Before int64
}

// DefaultJobsLimit is how many finished jobs a listing shows by default.
const DefaultJobsLimit = 50

// Piece is one mail piece of a job: a run of consecutive pages.
type Piece struct {
	Seq       int               `json:"seq"`        // 1-based position in the input
	FirstPage int               `json:"first_page"` // 1-based
	Pages     int               `json:"pages"`
	Sheets    int               `json:"sheets"`
	Meta      map[string]string `json:"meta,omitempty"`
	Name      string            `json:"name,omitempty"`
	Plan      *Placement        `json:"plan,omitempty"` // set when the mail run was planned
	// Channel is the channel decided before planning: print, email,
	// portal, email+print or suppress; empty for print.
	Channel string `json:"channel,omitempty"`
	// Delivery is how often the piece went to a device and where it was
	// confirmed printed; nil if it was never sent.
	Delivery *PieceSends `json:"delivery,omitempty"`
}

// JobDetail is a job with its pieces and its recent events. The embedded Job
// keeps the JSON flat: a JobDetail is a Job document with two more keys.
type JobDetail struct {
	Job
	PiecesDetail []Piece  `json:"pieces_detail"`
	Outputs      []Output `json:"outputs,omitempty"`
	Events       []Event  `json:"events"`
	// ReprintOf and Generation are set on a reprint job.
	ReprintOf  int64 `json:"reprint_of,omitempty"`
	Generation int   `json:"generation,omitempty"`
	// Loop is the closed loop with the inserting line, on a run's first job.
	Loop *Loop `json:"loop,omitempty"`
}

// Event types.
const (
	EventState    = "state"    // the job changed state
	EventProgress = "progress" // the device reported sheets done
	EventInfo     = "info"
	EventWarning  = "warning"
)

// Event is one entry of the daemon's event log, as listed in a JobDetail
// and streamed by GET /v1/events.
type Event struct {
	Seq        uint64    `json:"seq"` // increasing across the whole daemon
	Time       time.Time `json:"time"`
	Job        int64     `json:"job"`
	Type       string    `json:"type"` // EventState, EventProgress, EventInfo or EventWarning
	State      string    `json:"state,omitempty"`
	Reasons    []string  `json:"reasons,omitempty"`
	Message    string    `json:"message,omitempty"`
	SheetsDone int       `json:"sheets_done,omitempty"` // progress events
	Sheets     int       `json:"sheets,omitempty"`      // progress events
	Printer    string    `json:"printer,omitempty"`     // progress and output events: the printer sending
	Output     string    `json:"output,omitempty"`      // progress and output events: the output (a pool's chunk) being sent
	Attempt    int       `json:"attempt,omitempty"`     // output events: the output's transmission, from 1
}

// Printer is one configured output device and its last known state.
type Printer struct {
	Name          string   `json:"name"`
	Driver        string   `json:"driver"`
	URI           string   `json:"uri,omitempty"`
	State         string   `json:"state"` // idle, processing, stopped, unknown
	Reasons       []string `json:"reasons"`
	AcceptingJobs bool     `json:"accepting_jobs"`
	Info          string   `json:"info,omitempty"`
	MakeModel     string   `json:"make_model,omitempty"`
	Queued        int      `json:"queued"`            // jobs waiting for this printer
	QueuedSheets  int      `json:"queued_sheets"`     // sheets of the outputs queued on it
	Sending       string   `json:"sending,omitempty"` // "job 3 output main" while sending
	Pools         []string `json:"pools,omitempty"`   // the pools it belongs to
	Paused        bool     `json:"paused"`            // the operator's state, kept across restarts
	Disabled      bool     `json:"disabled"`
	Draining      bool     `json:"draining"`
	Stopped       bool     `json:"stopped"` // stopped by its error policy until resumed
	StopReason    string   `json:"stop_reason,omitempty"`
	Error         string   `json:"error,omitempty"` // why the state could not be read
	// Capabilities, ErrorPolicy and Counters: what it can print, what omsd
	// does when it fails, and what it did since omsd started.
	Capabilities PrinterCaps     `json:"capabilities"`
	ErrorPolicy  PrinterPolicy   `json:"error_policy"`
	Counters     PrinterCounters `json:"counters"`
}

// HotFolder is one watched input directory and the workflow it feeds.
type HotFolder struct {
	Dir      string `json:"dir"`
	Workflow string `json:"workflow"`
}

// Status describes the running daemon.
type Status struct {
	Version    string         `json:"version"`
	PID        int            `json:"pid"`
	Started    time.Time      `json:"started"`
	StateDir   string         `json:"state_dir"`
	Jobs       map[string]int `json:"jobs"` // number of jobs per state
	Printers   []string       `json:"printers"`
	Workflows  []string       `json:"workflows"`
	HotFolders []HotFolder    `json:"hot_folders"`
	Intake     Intake         `json:"intake"`
	Archive    *ArchiveStatus `json:"archive,omitempty"`     // nil: no archive configured
	Listeners  []Listener     `json:"listeners"`             // the network receivers
	LastReload *ReloadStatus  `json:"last_reload,omitempty"` // the last reload since the start, if any
}

// Intake says whether omsd takes new files, and the free space it watches.
type Intake struct {
	Paused      bool         `json:"paused"`
	Reason      string       `json:"reason,omitempty"` // why it is paused, and what to do
	Since       time.Time    `json:"since,omitzero"`
	Filesystems []Filesystem `json:"filesystems"`
}

// Filesystem is the space of one filesystem omsd writes to.
type Filesystem struct {
	Path     string `json:"path"`     // a watched path on it
	Free     uint64 `json:"free"`     // bytes
	Total    uint64 `json:"total"`    // bytes
	MinFree  uint64 `json:"min_free"` // spool.min_free in bytes on this filesystem
	ReadOnly bool   `json:"read_only,omitempty"`
}

// SubmitOptions are the parameters of a job submitted through the API. The
// print file itself travels as the request body.
type SubmitOptions struct {
	Name     string // job name; the file name as it arrived
	Workflow string // workflow to run; empty means the daemon's default
	Hold     bool   // keep the job held until released
	// The fields below are set by omsd's network receivers (LPD, IPP),
	// not by the local API's clients.
	Source   string            // "lpd", "ipp"; empty means "api"
	User     string            // who sent the job, as the sender said or authenticated
	Origin   string            // where it came from, e.g. "lpd 10.1.2.3:721 queue stmts"
	Metadata map[string]string // job metadata: each piece's default for these fields
	Copies   int               // copies of the job's print to make (IPP copies); 0 means one
}

// Error is the body of every error response.
type Error struct {
	Error string `json:"error"`
}

// JobStates lists the job states, IPP's job-state keywords, in IPP's order.
var JobStates = []string{"pending", "held", "processing", "stopped", "canceled", "aborted", "completed"}

// ValidState reports whether s is one of JobStates.
func ValidState(s string) bool {
	for _, v := range JobStates {
		if s == v {
			return true
		}
	}
	return false
}

// Placement is where a job's mail-run plan put a piece.
type Placement = mailpiece.Placement

// Plan is a job's mail-run plan: the postage report of the run as planned,
// costed against one envelope per piece at single-piece prices, and the
// postage of its reprints. The JSON document is the report's, with
// "reprints" beside its keys.
type Plan struct {
	postage.Report
	Reprints []ReprintPostage `json:"reprints,omitempty"`
}
