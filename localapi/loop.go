package localapi

import (
	"net/http"
	"strconv"
)

func (h *handler) report(w http.ResponseWriter, r *http.Request) {
	id, ok := jobID(w, r)
	if !ok {
		return
	}
	rep, err := h.b.Report(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (h *handler) track(w http.ResponseWriter, r *http.Request) {
	id, ok := jobID(w, r)
	if !ok {
		return
	}
	s := r.PathValue("seq")
	seq, err := strconv.Atoi(s)
	if err != nil || seq <= 0 {
		writeError(w, http.StatusBadRequest, (&paramError{"piece", s, "want a positive integer"}).Error())
		return
	}
	tr, err := h.b.Track(r.Context(), id, seq)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tr)
}
