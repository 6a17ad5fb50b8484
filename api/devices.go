package api

// Printer actions, the last element of POST /v1/printers/{name}/{action}.
const (
	PrinterPause   = "pause"   // stop dispatching; what is being sent finishes
	PrinterResume  = "resume"  // dispatch again (also after a stop by the error policy)
	PrinterDisable = "disable" // take no new work; queued work fails over in a pool
	PrinterEnable  = "enable"  // take new work again
	PrinterDrain   = "drain"   // finish what is being sent, then pause
)

// Job actions with a body.
const (
	ActionMove     = "move"     // body JobMove
	ActionPriority = "priority" // body JobPriority
	ActionRestart  = "restart"  // body JobRestart
)

// PrinterPath is the path of printer name: /v1/printers/{name}.
func PrinterPath(name string) string { return PathPrinters + "/" + name }

// PrinterActionPath is /v1/printers/{name}/{action}.
func PrinterActionPath(name, action string) string { return PrinterPath(name) + "/" + action }

// JobMove sends a job's unsent outputs to another printer or pool.
type JobMove struct {
	Target string `json:"target"`
}

// JobPriority sets a job's dispatch priority: higher goes first; 0 is the
// default.
type JobPriority struct {
	Priority int `json:"priority"`
}

// JobRestart prints pieces of a job again. With FromPiece, every piece from
// that one on, in print order; with Pieces, exactly those (by seq). With
// neither, the pieces no device confirmed. Target, if set, is the printer
// or pool the reprint goes to (default: the job's). A closed-loop reprint
// (an inserter reporting damaged pieces) posts Pieces and Target.
type JobRestart struct {
	FromPiece int    `json:"from_piece,omitempty"`
	Pieces    []int  `json:"pieces,omitempty"`
	Target    string `json:"target,omitempty"`
}

// RestartResult says what a restart queued.
type RestartResult struct {
	Job     Job      `json:"job"`
	Outputs []Output `json:"outputs"` // the reprint outputs added
}

// Output is one print file of a job, as the API shows it: its pieces, where
// it is queued and how far the device confirmed it.
type Output struct {
	Name      string `json:"name"`
	Pieces    int    `json:"pieces"`
	Sheets    int    `json:"sheets"`
	Target    string `json:"target"`            // printer or pool
	Printer   string `json:"printer,omitempty"` // where it is queued
	Confirmed int    `json:"confirmed"`         // leading pieces the device confirmed
	Sent      bool   `json:"sent"`
	Attempts  int    `json:"attempts,omitempty"` // transmissions begun
	Reprint   bool   `json:"reprint,omitempty"`
	FirstSeq  int    `json:"first_seq,omitempty"`
	LastSeq   int    `json:"last_seq,omitempty"`
}

// PieceSends is one piece's delivery record in job show.
type PieceSends struct {
	Sends     int      `json:"sends"`               // transmissions that carried it; > 1: maybe printed twice
	Printers  []string `json:"printers,omitempty"`  // where each went
	Confirmed string   `json:"confirmed,omitempty"` // the printer that confirmed it printed
}
