package localapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/omsd/omsd/api"
)

// periodReport serves GET /v1/reports/{kind}?from=&to=&by=.
func (h *handler) periodReport(w http.ResponseWriter, r *http.Request) {
	q := api.ReportQuery{Kind: r.PathValue("kind"), By: r.URL.Query().Get(api.ParamBy)}
	var err error
	if q.From, err = timeParam(r, api.ParamFrom); err == nil {
		q.To, err = timeParam(r, api.ParamTo)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	rep, err := h.b.PeriodReport(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// timeParam reads an RFC 3339 query parameter.
func timeParam(r *http.Request, name string) (time.Time, error) {
	s := r.URL.Query().Get(name)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("%s is %q; want an RFC 3339 time such as 2026-11-02T00:00:00Z", name, s)
	}
	return t, nil
}

// deadlines serves GET /v1/deadlines.
func (h *handler) deadlines(w http.ResponseWriter, r *http.Request) {
	list, err := h.b.Deadlines(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
