package localapi

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// LinesBackend is what a Backend serves of the inserting lines, when it
// has them.
type LinesBackend interface {
	// Lines lists the inserting lines with their newest files and the
	// runs they have not accounted for.
	Lines(ctx context.Context) ([]api.Line, error)
	// RunFiles are the manifests and result files of a job's run.
	RunFiles(ctx context.Context, id int64) (api.RunFiles, error)
}

// lineRoutes are the routes of the inserting lines, if b serves them.
func (h *handler) lineRoutes(b Backend) []route {
	lb, ok := b.(LinesBackend)
	if !ok {
		return nil
	}
	return []route{
		{http.MethodGet, api.PathLines, noBody(h, lb.Lines)},
		{http.MethodGet, api.PathJobs + "/{id}/files", func(w http.ResponseWriter, r *http.Request) {
			id, ok := jobID(w, r)
			if !ok {
				return
			}
			rf, err := lb.RunFiles(r.Context(), id)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, rf)
		}},
	}
}
