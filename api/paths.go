package api

import "strconv"

// Paths of the local API. All are versioned; a change of contract gets a new
// version prefix.
const (
	PathStatus   = "/v1/status"   // GET
	PathJobs     = "/v1/jobs"     // GET (list), POST (submit)
	PathPrinters = "/v1/printers" // GET
	PathEvents   = "/v1/events"   // GET, an ndjson stream of Event
)

// Job actions, the last element of POST /v1/jobs/{id}/{action}.
const (
	ActionHold    = "hold"
	ActionRelease = "release"
	ActionCancel  = "cancel"
)

// Query parameters.
const (
	ParamState    = "state"    // GET /v1/jobs: comma-separated states
	ParamAll      = "all"      // GET /v1/jobs: "1" for every job, not only active ones and the last finished
	ParamLimit    = "limit"    // GET /v1/jobs: at most this many (finished, unless all) jobs
	ParamBefore   = "before"   // GET /v1/jobs: only (finished, unless all) jobs with a lower ID
	ParamName     = "name"     // POST /v1/jobs
	ParamWorkflow = "workflow" // POST /v1/jobs
	ParamHold     = "hold"     // POST /v1/jobs: "1" to hold the job
	ParamJob      = "job"      // GET /v1/events: only this job's events
)

// Content types.
const (
	ContentTypeJSON   = "application/json"
	ContentTypeNDJSON = "application/x-ndjson"
)

// PlanPath is the path of job id's mail-run plan: /v1/jobs/{id}/plan.
func PlanPath(id int64) string { return JobPath(id) + "/plan" }

// JobPath is the path of job id: /v1/jobs/{id}.
func JobPath(id int64) string {
	return PathJobs + "/" + strconv.FormatInt(id, 10)
}

// JobActionPath is the path of an action on job id: /v1/jobs/{id}/{action}.
func JobActionPath(id int64, action string) string {
	return JobPath(id) + "/" + action
}
