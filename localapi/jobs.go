package localapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

func (h *handler) status(w http.ResponseWriter, r *http.Request) {
	st, err := h.b.Status(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (h *handler) jobs(w http.ResponseWriter, r *http.Request) {
	q, err := parseJobQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	jobs, err := h.b.Jobs(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if jobs == nil {
		jobs = []api.Job{} // an empty list, not null
	}
	writeJSON(w, http.StatusOK, jobs)
}

// parseJobQuery reads the parameters of GET /v1/jobs.
func parseJobQuery(v url.Values) (api.JobQuery, error) {
	var q api.JobQuery
	var err error
	if q.States, err = parseStates(v.Get(api.ParamState)); err != nil {
		return q, err
	}
	if s := v.Get(api.ParamAll); s != "" {
		if q.All, err = strconv.ParseBool(s); err != nil {
			return q, &paramError{api.ParamAll, s, "want 1 or 0"}
		}
	}
	if s := v.Get(api.ParamLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, &paramError{api.ParamLimit, s, "want a count, 0 or more"}
		}
		q.Limit = n
	}
	if s := v.Get(api.ParamBefore); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return q, &paramError{api.ParamBefore, s, "want a job ID"}
		}
		q.Before = n
	}
	return q, nil
}

// parseStates splits a comma-separated list of job states, ignoring empty
// elements, and checks each against api.JobStates.
func parseStates(s string) ([]string, error) {
	var states []string
	for _, st := range strings.Split(s, ",") {
		st = strings.TrimSpace(st)
		if st == "" {
			continue
		}
		if !api.ValidState(st) {
			return nil, &paramError{api.ParamState, st, "want one of " + strings.Join(api.JobStates, ", ")}
		}
		states = append(states, st)
	}
	return states, nil
}

func (h *handler) submit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	opt := api.SubmitOptions{Name: q.Get(api.ParamName), Workflow: q.Get(api.ParamWorkflow)}
	if v := q.Get(api.ParamHold); v != "" {
		hold, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, (&paramError{api.ParamHold, v, "want 1 or 0"}).Error())
			return
		}
		opt.Hold = hold
	}
	if !h.limitUpload(w, r) {
		return
	}
	job, err := h.b.Submit(r.Context(), opt, r.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", api.JobPath(job.ID))
	writeJSON(w, http.StatusCreated, job)
}

func (h *handler) job(w http.ResponseWriter, r *http.Request) {
	id, ok := jobID(w, r)
	if !ok {
		return
	}
	d, err := h.b.Job(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (h *handler) plan(w http.ResponseWriter, r *http.Request) {
	id, ok := jobID(w, r)
	if !ok {
		return
	}
	p, err := h.b.Plan(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// action returns the handler of POST /v1/jobs/{id}/{action}, calling fn.
func (h *handler) action(fn func(context.Context, int64) (api.Job, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := jobID(w, r)
		if !ok {
			return
		}
		job, err := fn(r.Context(), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, job)
	}
}

func (h *handler) printers(w http.ResponseWriter, r *http.Request) {
	ps, err := h.b.Printers(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ps == nil {
		ps = []api.Printer{}
	}
	writeJSON(w, http.StatusOK, ps)
}

// jobID reads the {id} path value; on a bad id it answers 400 and returns
// false.
func jobID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	s := r.PathValue("id")
	id, err := parseID(s)
	if err != nil {
		writeError(w, http.StatusBadRequest, (&paramError{"job id", s, "want a positive integer"}).Error())
		return 0, false
	}
	return id, true
}

// parseID parses a positive job id.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err == nil && id <= 0 {
		err = strconv.ErrRange
	}
	return id, err
}

// paramError describes a bad request parameter.
type paramError struct {
	name, value, want string
}

func (e *paramError) Error() string {
	return "bad " + e.name + " " + strconv.Quote(e.value) + ": " + e.want
}

// preview serves GET /v1/jobs/{id}/preview?piece=N[&image=1].
func (h *handler) preview(w http.ResponseWriter, r *http.Request) {
	id, ok := jobID(w, r)
	if !ok {
		return
	}
	s := r.URL.Query().Get(api.ParamPiece)
	seq, err := strconv.Atoi(s)
	if err != nil || seq <= 0 {
		writeError(w, http.StatusBadRequest, (&paramError{api.ParamPiece, s, "want a piece's sequence number"}).Error())
		return
	}
	img := r.URL.Query().Get(api.ParamImage)
	if img != "" && img != "0" && img != "1" {
		writeError(w, http.StatusBadRequest, (&paramError{api.ParamImage, img, "want 1 or 0"}).Error())
		return
	}
	p, err := h.b.Preview(r.Context(), id, seq, img == "1")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
