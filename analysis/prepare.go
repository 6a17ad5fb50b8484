package analysis

import (
	"context"
	"path/filepath"
	"strconv"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// prepare runs the pipeline's analysis and composition of job j, or gives
// up as soon as ctx ends, so that omsd stops promptly in the middle of a
// large job. Giving up loses nothing: the pipeline only writes files in
// the job's directory (each atomically) and records nothing in the spool;
// the job stays unanalysed and is analysed again from its input at the
// next start. The abandoned run ends with the process.
func prepare(ctx context.Context, wf config.Workflow, j spool.Job, dir, sidecar string, route pipeline.Route) (pipeline.Result, error) {
	type result struct {
		r   pipeline.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := pipeline.PrepareJob(wf, pipeline.Job{ID: strconv.FormatInt(j.ID, 10), Metadata: j.Metadata, Route: route}, filepath.Join(dir, j.Input), sidecar, dir)
		done <- result{r, err}
	}()
	select {
	case res := <-done:
		return res.r, res.err
	case <-ctx.Done():
		return pipeline.Result{}, ctx.Err()
	}
}
