package localapi

import (
	"net/http"
	"strconv"

	"github.com/omsd/omsd/api"
)

// audit lists the audit trail: GET /v1/audit?user=U&action=A&limit=N.
func (h *handler) audit(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := api.AuditQuery{User: v.Get(api.ParamUser), Action: v.Get(api.ParamAction)}
	if s := v.Get(api.ParamLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, (&paramError{api.ParamLimit, s, "want a count, 0 or more"}).Error())
			return
		}
		q.Limit = n
	}
	entries, err := h.b.Audit(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if entries == nil {
		entries = []api.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, entries)
}
