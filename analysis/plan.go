package analysis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
)

// Plan returns the postage report that analysis wrote for a planned job.
func (s *Service) Plan(ctx context.Context, id int64) (api.Plan, error) {
	j, err := jobs.Find(s.store, id)
	if err != nil {
		return api.Plan{}, err
	}
	data, err := os.ReadFile(filepath.Join(s.store.JobDir(id), planFile))
	if errors.Is(err, os.ErrNotExist) {
		if wf, ok := jobs.Workflow(s.cfg, j); ok && wf.Postage == nil {
			return api.Plan{}, noPlanError{job: id, workflow: j.Workflow}
		}
		return api.Plan{}, fmt.Errorf("%w: job %d has no plan yet (state %s)", api.ErrNotFound, id, j.State)
	}
	if err != nil {
		return api.Plan{}, err
	}
	var p api.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return api.Plan{}, fmt.Errorf("job %d: reading its plan: %w", id, err)
	}
	return p, nil
}
