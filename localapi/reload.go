package localapi

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// Reloader is a Backend that can reload its configuration; the handler
// serves api.PathReload for one.
type Reloader interface {
	// Reload reads the configuration again; one with problems is refused
	// with an error wrapping api.ErrBadRequest that lists them all.
	Reload(ctx context.Context) (api.Reload, error)
}

// reloadRoutes is the reload endpoint, when b can reload.
func reloadRoutes(h *handler, b Backend) []route {
	r, ok := b.(Reloader)
	if !ok {
		return nil
	}
	return []route{{http.MethodPost, api.PathReload, func(w http.ResponseWriter, req *http.Request) {
		res, err := r.Reload(req.Context())
		if err != nil {
			h.fail(w, req, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}}}
}
