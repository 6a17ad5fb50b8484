// Package localapi is the HTTP side of omsd's local API: a handler that turns
// requests on versioned paths (/v1/jobs, /v1/events, ...) into calls on a
// Backend, and Serve, which puts the handler on a unix socket.
//
// HTTP status codes are chosen here and only here: a Backend returns errors
// wrapping api.ErrNotFound, api.ErrConflict or api.ErrBadRequest, and the
// handler maps them to 404, 409 and 400; anything else is a 500. An upload
// over the handler's limit (WithMaxUpload) is a 413. Every error body is an
// api.Error document.
package localapi

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
)

// Backend is what the handler serves: the daemon, or a fake in tests.
type Backend interface {
	Status(ctx context.Context) (api.Status, error)
	// Jobs lists the jobs q selects (see api.JobQuery), by ascending ID.
	Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error)
	Job(ctx context.Context, id int64) (api.JobDetail, error)
	// Submit takes in a print file read from body.
	Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error)
	Hold(ctx context.Context, id int64) (api.Job, error)
	Release(ctx context.Context, id int64) (api.Job, error)
	Cancel(ctx context.Context, id int64) (api.Job, error)
	Printers(ctx context.Context) ([]api.Printer, error)
	// PrinterAction pauses, resumes, enables, disables or drains a printer.
	PrinterAction(ctx context.Context, name, action string) (api.Printer, error)
	// Move sends a job's unsent outputs to another printer or pool.
	Move(ctx context.Context, id int64, m api.JobMove) (api.Job, error)
	// Priority sets a job's dispatch priority.
	Priority(ctx context.Context, id int64, p api.JobPriority) (api.Job, error)
	// Restart queues pieces of a job to be printed again.
	Restart(ctx context.Context, id int64, r api.JobRestart) (api.RestartResult, error)
	// Plan returns the postage report of a job whose mail run was planned.
	Plan(ctx context.Context, id int64) (api.Plan, error)
	// Report is a run's close-out report.
	Report(ctx context.Context, id int64) (api.JobReport, error)
	// Track is one piece's history.
	Track(ctx context.Context, id int64, seq int) (api.Track, error)
	// Reprint prints pieces of a run again as a reprint job.
	Reprint(ctx context.Context, id int64, r api.ReprintRequest) (api.ReprintResult, error)
	// Ack acknowledges a run's integrity alarms and ends their hold.
	Ack(ctx context.Context, id int64, a api.AlarmAck) (api.Job, error)
	// Preview returns the inserter marks of the sheets of piece seq, with
	// a PNG of them if withImage.
	Preview(ctx context.Context, id int64, seq int, withImage bool) (api.Preview, error)
	// Subscribe returns live events until ctx ends or cancel is called.
	Subscribe(ctx context.Context) (events <-chan api.Event, cancel func())
	// PeriodReport is a report over the runs of a window (see api.Report).
	PeriodReport(ctx context.Context, q api.ReportQuery) (api.Report, error)
	// Deadlines are the active jobs with a deadline and their prediction.
	Deadlines(ctx context.Context) ([]api.Deadline, error)
	// Audit lists the audit trail of the network front ends.
	Audit(ctx context.Context, q api.AuditQuery) ([]api.AuditEntry, error)
	// Rejected lists the newest files of the error folder (limit 0: the
	// default).
	Rejected(ctx context.Context, limit int) ([]api.Rejected, error)
}

// handler serves the local API from a Backend.
type handler struct {
	b         Backend
	log       zerolog.Logger
	mux       *http.ServeMux
	maxUpload int64 // bytes a submit may upload
}

// route is one method and path pattern of the API.
type route struct {
	method, path string
	fn           http.HandlerFunc
}

// NewHandler returns the local API handler serving b. Requests are logged to
// log at debug level, server errors at error level.
func NewHandler(b Backend, log zerolog.Logger, opts ...Option) http.Handler {
	h := &handler{b: b, log: log, mux: http.NewServeMux(), maxUpload: DefaultMaxUpload}
	for _, o := range opts {
		o(h)
	}
	h.register(append([]route{
		{http.MethodGet, api.PathStatus, h.status},
		{http.MethodGet, api.PathJobs, h.jobs},
		{http.MethodPost, api.PathJobs, h.submit},
		{http.MethodGet, api.PathJobs + "/{id}", h.job},
		{http.MethodGet, api.PathJobs + "/{id}/plan", h.plan},
		{http.MethodGet, api.PathJobs + "/{id}/preview", h.preview},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionHold, h.action(b.Hold)},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionRelease, h.action(b.Release)},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionCancel, h.action(b.Cancel)},
		{http.MethodGet, api.PathPrinters, h.printers},
		{http.MethodPost, api.PathPrinters + "/{name}/{action}", h.printerAction},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionMove, jobBody(h, b.Move)},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionPriority, jobBody(h, b.Priority)},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionRestart, jobBody(h, b.Restart)},
		{http.MethodGet, api.PathJobs + "/{id}/report", h.report},
		{http.MethodGet, api.PathJobs + "/{id}/pieces/{seq}/track", h.track},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionReprint, jobBody(h, b.Reprint)},
		{http.MethodPost, api.PathJobs + "/{id}/" + api.ActionAck, jobBody(h, ackByCaller(b.Ack))},
		{http.MethodGet, api.PathEvents, h.events},
		// Statistics: reports from the history, deadlines.
		{http.MethodGet, api.PathReports + "/{kind}", h.periodReport},
		{http.MethodGet, api.PathDeadlines, h.deadlines},
		// The audit trail of the network front ends; the error folder.
		{http.MethodGet, api.PathAudit, h.audit},
		{http.MethodGet, api.PathRejected, h.rejected},
	}, append(append(append(reloadRoutes(h, b), h.channelRoutes(b)...), h.archiveRoutes(b)...), h.lineRoutes(b)...)...))
	return h
}

// register adds routes to the mux, and for each path a method-less fallback
// that answers 405 in JSON, plus a JSON 404 for everything else. (The
// ServeMux's own 404 and 405 answers are plain text.)
func (h *handler) register(routes []route) {
	allowed := map[string][]string{}
	for _, r := range routes {
		h.mux.HandleFunc(r.method+" "+r.path, r.fn)
		allowed[r.path] = append(allowed[r.path], r.method)
	}
	for path, methods := range allowed {
		h.mux.HandleFunc(path, methodNotAllowed(methods))
	}
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	})
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.log.Debug().Str("method", r.Method).Str("path", r.URL.Path).Msg("local api request")
	h.mux.ServeHTTP(w, r)
}

// methodNotAllowed answers 405 with an Allow header listing methods.
func methodNotAllowed(methods []string) http.HandlerFunc {
	if slices.Contains(methods, http.MethodGet) {
		methods = append(slices.Clone(methods), http.MethodHead)
	}
	allow := strings.Join(methods, ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on "+r.URL.Path)
	}
}
