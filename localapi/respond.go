package localapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/omsd/omsd/api"
)

// statusOf is the HTTP status for a Backend error.
func statusOf(err error) int {
	switch {
	case errors.Is(err, api.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, api.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, api.ErrBadRequest):
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// fail answers a Backend error with its status and message.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isTooLarge(err) || errors.Is(err, api.ErrTooLarge) {
		h.tooLarge(w, r)
		return
	}
	code := statusOf(err)
	if code == http.StatusInternalServerError {
		h.log.Error().Err(err).Str("method", r.Method).Str("path", r.URL.Path).Msg("local api request failed")
	}
	writeError(w, code, err.Error())
}

// writeError writes an api.Error document with status code.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, api.Error{Error: msg})
}

// writeJSON writes v as a JSON document with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", api.ContentTypeJSON)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	// The status line is out; an encoding or write error can only mean the
	// client went away.
	_ = json.NewEncoder(w).Encode(v)
}
