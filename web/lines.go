package web

import (
	"net/http"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
)

// linesData is the lines page's.
type linesData struct {
	Lines []api.Line
	// None says omsd serves no lines (none configured, or a backend
	// without them).
	None bool
}

// linesPage shows each inserting line: the runs it has not accounted for
// (their reconciliation, alarms and reprints), its result files waiting,
// applied and quarantined, and the manifests written for it.
func (c *Console) linesPage(w http.ResponseWriter, r *http.Request, se *session) {
	lb, ok := c.b.(localapi.LinesBackend)
	if !ok {
		c.render(w, r, http.StatusOK, "lines", se, linesData{None: true})
		return
	}
	ls, err := lb.Lines(r.Context())
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	c.render(w, r, http.StatusOK, "lines", se, linesData{Lines: ls, None: len(ls) == 0})
}

// runFiles are the line files of job id's run, nil without a line.
func (c *Console) runFiles(r *http.Request, id int64) *api.RunFiles {
	lb, ok := c.b.(localapi.LinesBackend)
	if !ok {
		return nil
	}
	rf, err := lb.RunFiles(r.Context(), id)
	if err != nil || rf.Line == "" {
		return nil
	}
	return &rf
}
