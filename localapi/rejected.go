package localapi

import (
	"net/http"
	"strconv"

	"github.com/omsd/omsd/api"
)

// rejected lists the newest error-folder files: GET /v1/rejected?limit=N.
func (h *handler) rejected(w http.ResponseWriter, r *http.Request) {
	limit := 0
	if s := r.URL.Query().Get(api.ParamLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000 {
			writeError(w, http.StatusBadRequest, (&paramError{api.ParamLimit, s, "want a count, 0 to 1000"}).Error())
			return
		}
		limit = n
	}
	list, err := h.b.Rejected(r.Context(), limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if list == nil {
		list = []api.Rejected{}
	}
	writeJSON(w, http.StatusOK, list)
}
