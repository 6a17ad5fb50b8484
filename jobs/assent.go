package jobs

import (
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/spool"
)

// SourceArchive is the source of a job that reprints archived pieces
// (omsctl archive reprint): their bytes as they were sent, marks
// included.
const SourceArchive = "archive"

// AsSent reports whether job j prints its file exactly as it is: an
// archive reprint, whose pages carry the marks they were sent with.
func AsSent(j spool.Job) bool { return j.Source == SourceArchive }

// Workflow is the workflow job j runs in: its configured workflow, or
// for a job printed as sent that workflow without marks, planning,
// channels or an inserting line, its file one piece (config.Workflow.AsSent).
func Workflow(cfg *config.Config, j spool.Job) (config.Workflow, bool) {
	wf, ok := cfg.Workflow(j.Workflow)
	if ok && AsSent(j) {
		wf = wf.AsSent()
	}
	return wf, ok
}
