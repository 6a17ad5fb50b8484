package analysis

import (
	"fmt"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// copiesRefused says why job j cannot print its copies, or nil. An
// inserting line takes each piece once: a second copy of a marked piece
// would be reported as inserted twice and hold the run for an integrity
// alarm, so a job with copies is refused before anything prints. A reprint
// of archived pieces goes through no line and may have copies.
func copiesRefused(cfg *config.Config, wf config.Workflow, j spool.Job) error {
	if j.Copies <= 1 || jobs.AsSent(j) {
		return nil
	}
	printer := j.Printer
	if printer == "" {
		printer = wf.Printer
	}
	line, ok := cfg.LineFor(wf.Name, printer)
	if !ok {
		return nil
	}
	return fmt.Errorf("%w: %d copies asked, but workflow %q goes through inserting line %s, which takes each piece once (a second copy would be reported as inserted twice); send the job again with 1 copy, or to a workflow without an inserting line",
		pipeline.ErrBadInput, j.Copies, wf.Name, line.Name)
}
