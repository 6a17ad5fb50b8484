package analysis

import (
	"fmt"

	"github.com/omsd/omsd/api"
)

// noPlanError answers a plan request for a job whose workflow does not
// plan mail runs: the job is there, it has no plan, and this says how to
// have one. It is api.ErrNotFound to callers, without that text.
type noPlanError struct {
	job      int64
	workflow string
}

func (e noPlanError) Error() string {
	return fmt.Sprintf("job %d has no postage plan: workflow %q has no postage planning; "+
		"add a postage: section to the workflow (README, \"Planning the mail run\") and submit the file again, "+
		"or see a plan without the daemon with omsd process --dry-run --workflow W FILE", e.job, e.workflow)
}

func (e noPlanError) Unwrap() error { return api.ErrNotFound }
