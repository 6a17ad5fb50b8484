package localapi

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// ChannelsBackend is what a Backend serves of the digital channels, when
// it has them.
type ChannelsBackend interface {
	// Deliveries lists a job's digital deliveries.
	Deliveries(ctx context.Context, id int64) (api.Deliveries, error)
}

// channelRoutes are the routes of the digital channels, if b serves them.
func (h *handler) channelRoutes(b Backend) []route {
	cb, ok := b.(ChannelsBackend)
	if !ok {
		return nil
	}
	return []route{
		{http.MethodGet, api.PathJobs + "/{id}/deliveries", func(w http.ResponseWriter, r *http.Request) {
			id, ok := jobID(w, r)
			if !ok {
				return
			}
			d, err := cb.Deliveries(r.Context(), id)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, d)
		}},
	}
}
