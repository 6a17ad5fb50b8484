package api

import "time"

// Paths of the inserting lines.
const (
	PathLines = "/v1/lines" // GET: []Line
)

// RunFilesPath is the path of a run's line files: /v1/jobs/{id}/files.
func RunFilesPath(id int64) string { return JobPath(id) + "/files" }

// Line is one inserting line: where omsd writes its manifests and takes its
// result files, the newest of each, and the runs it has not accounted for
// yet.
type Line struct {
	Name           string `json:"name"`
	ManifestDir    string `json:"manifest_dir"`
	ManifestLayout string `json:"manifest_layout"`
	ResultDir      string `json:"result_dir"`
	ResultLayout   string `json:"result_layout"`
	DoneDir        string `json:"done_dir"`
	ErrorDir       string `json:"error_dir"`
	// Manifests are the newest manifests in ManifestDir, newest first.
	Manifests []LineFile `json:"manifests"`
	// Waiting are result files in ResultDir not taken yet.
	Waiting []LineFile `json:"waiting"`
	// Applied are the newest result files taken (DoneDir), newest first.
	Applied []LineFile `json:"applied"`
	// Quarantined are the newest result files with problems (ErrorDir):
	// their known pieces' events were applied, the problems are listed.
	Quarantined []LineFile `json:"quarantined"`
	// Runs are the runs through the line whose loop is open (results
	// awaited) or waits for a decision (reprints to approve), oldest
	// first, each with its reconciliation.
	Runs []JobReport `json:"runs"`
	// Error says why a folder could not be read, if one could not.
	Error string `json:"error,omitempty"`
}

// LineFilesShown is how many of each kind of file a Line lists.
const LineFilesShown = 20

// LineFile is one manifest or result file of a line.
type LineFile struct {
	Name string    `json:"name"`
	Size int64     `json:"size"`
	Time time.Time `json:"time"` // last modified
	// Job is the run a manifest was written for (0 for result files).
	Job int64 `json:"job,omitempty"`
	// Problems and Next are a quarantined result file's report.
	Problems []string `json:"problems,omitempty"`
	Next     string   `json:"next,omitempty"`
}

// RunFiles are the files a run exchanged with its line: the manifests
// written for it and its reprints, and the result files that reported on
// its pieces.
type RunFiles struct {
	Job       int64           `json:"job"` // the run's first job
	Line      string          `json:"line,omitempty"`
	Manifests []LineFile      `json:"manifests"`
	Results   []RunResultFile `json:"results"`
}

// RunResultFile is one result file that reported on a run's pieces.
type RunResultFile struct {
	Name   string    `json:"name"`
	Events int       `json:"events"` // piece results it held for the run (inserted, diverted, …)
	First  time.Time `json:"first"`  // the time of its first and last event
	Last   time.Time `json:"last"`
}
