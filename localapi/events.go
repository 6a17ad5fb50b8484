package localapi

import (
	"encoding/json"
	"net/http"

	"github.com/omsd/omsd/api"
)

// events streams live events as ndjson, one api.Event per line, flushed after
// each, until the client goes away or the backend ends the subscription.
// With ?job=ID only that job's events are sent.
func (h *handler) events(w http.ResponseWriter, r *http.Request) {
	var job int64
	if s := r.URL.Query().Get(api.ParamJob); s != "" {
		id, err := parseID(s)
		if err != nil {
			writeError(w, http.StatusBadRequest, (&paramError{api.ParamJob, s, "want a positive integer"}).Error())
			return
		}
		job = id
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", api.ContentTypeNDJSON)
		return
	}
	ctx := r.Context()
	events, cancel := h.b.Subscribe(ctx)
	defer cancel()

	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", api.ContentTypeNDJSON)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil {
		h.log.Error().Err(err).Msg("local api: event stream cannot flush")
		return
	}
	enc := json.NewEncoder(w)
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if job != 0 && ev.Job != job {
				continue
			}
			if enc.Encode(ev) != nil || rc.Flush() != nil {
				return // the client went away
			}
		}
	}
}
