package localapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// maxActionBody bounds the JSON body of a job action.
const maxActionBody = 1 << 20

func (h *handler) printerAction(w http.ResponseWriter, r *http.Request) {
	p, err := h.b.PrinterAction(r.Context(), r.PathValue("name"), r.PathValue("action"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// decodeBody decodes the request's JSON body (at most maxActionBody, no
// unknown fields); when it cannot, it answers why and reports false.
func decodeBody[B any](w http.ResponseWriter, r *http.Request) (B, bool) {
	var body B
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxActionBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); isTooLarge(err) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %s", byteSize(maxActionBody)))
		return body, false
	} else if err != nil {
		writeError(w, http.StatusBadRequest, "bad request body: "+err.Error())
		return body, false
	}
	return body, true
}

// jobBody returns the handler of POST /v1/jobs/{id}/{action} with a JSON
// body of type B, calling fn.
func jobBody[B, R any](h *handler, fn func(context.Context, int64, B) (R, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := jobID(w, r)
		if !ok {
			return
		}
		body, ok := decodeBody[B](w, r)
		if !ok {
			return
		}
		res, err := fn(r.Context(), id, body)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}
