package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// analyze runs the pipeline's analysis and composition on one job. A print
// file that cannot be processed goes to the error folder and the job is
// aborted with the reason. When ctx ends first, nothing is recorded and the
// job is analysed again at the next start.
func (s *Service) analyze(ctx context.Context, j spool.Job) {
	log := s.log.With().Int64("job", j.ID).Str("file", j.Name).Logger()
	wf, ok := jobs.Workflow(s.cfg, j)
	if !ok {
		s.pub.SetState(j.ID, spool.Aborted, fmt.Sprintf("workflow %q is no longer configured", j.Workflow), "aborted-by-system")
		return
	}
	if err := copiesRefused(s.cfg, wf, j); err != nil {
		s.reject(j, err)
		return
	}
	dir := s.store.JobDir(j.ID)
	sidecar := ""
	if j.Sidecar != "" {
		sidecar = filepath.Join(dir, j.Sidecar)
	}
	start := time.Now()
	var route pipeline.Route
	var err error
	if s.channels != nil {
		if route, err = s.channels.Route(j, wf); err != nil {
			s.reject(j, err)
			return
		}
	}
	r, err := prepare(ctx, wf, j, dir, sidecar, route)
	if ctx.Err() != nil {
		log.Info().Dur("after", time.Since(start)).Msg("omsd is stopping: analysis left off; the job is analysed again at the next start")
		return
	}
	if err == nil {
		err = s.store.SetPieces(j.ID, r.Pieces)
	}
	if err == nil && r.Plan != nil {
		err = writeJSONFile(filepath.Join(dir, planFile), r.Plan.Report)
	}
	var outs []spool.Output
	if err == nil {
		outs, err = s.outputsOf(wf, r, j)
	}
	if err != nil {
		s.reject(j, namedForPeople(err, filepath.Join(dir, j.Input), j.Name))
		return
	}
	j, err = s.pub.Update(j.ID, func(j *spool.Job) error {
		j.Pieces, j.Pages, j.Sheets = len(r.Pieces), r.Pages, r.Sheets
		j.Outputs, j.Format = outs, pipeline.MIME(wf.Format)
		if j.State == spool.Pending {
			j.StateReasons = []string{"job-queued-for-marker"}
		}
		j.Message = analysisMessage(r)
		if len(outs) == 0 && j.State == spool.Pending {
			// Every piece left the print run for a digital channel (or
			// was suppressed): nothing to print.
			j.State, j.StateReasons = spool.Completed, []string{"job-completed-successfully"}
			j.Message += "; nothing to print: every piece left the print run before planning"
		}
		j.Warnings = warningsOf(r)
		return nil
	})
	if err != nil {
		log.Error().Err(err).Msg("recording the analysis")
		if diskspace.IsResource(err) {
			s.hold.Fail(j.ID, "recording the analysis of "+j.Name, err)
		}
		return
	}
	s.trackReceived(j, r.Pieces) // once the analysis holds: a job analysed again is received once
	for _, w := range j.Warnings {
		log.Warn().Msg(w)
	}
	log.Info().Int("pieces", j.Pieces).Int("pages", j.Pages).Int("sheets", j.Sheets).Str("method", r.Method).
		Dur("took", time.Since(start)).Msg("job analysed")
	s.route.Wake()
}

// reject aborts a job whose analysis failed. Bad input goes to the error
// folder with the reason beside it. A job that failed for want of space
// (or with an I/O error) is held until space returns.
func (s *Service) reject(j spool.Job, cause error) {
	if diskspace.IsResource(cause) {
		s.hold.Fail(j.ID, "analysing "+j.Name, cause)
		return
	}
	log := s.log.With().Int64("job", j.ID).Str("file", j.Name).Logger()
	reason := "aborted-by-system"
	msg := cause.Error()
	if errors.Is(cause, pipeline.ErrBadInput) {
		reason = pipeline.Reason(cause)
		where, err := s.errorFolder.ToErrorFolder(j, reason, cause)
		if err != nil {
			log.Error().Err(err).Msg("moving the file to the error folder")
		} else {
			msg += "; the file is in " + where
		}
	}
	log.Error().Err(cause).Str("reason", reason).Msg("job aborted")
	s.pub.SetState(j.ID, spool.Aborted, msg, reason)
}

// namedForPeople names the file the operator dropped, not its copy in the
// spool, in err's message; errors.Is still sees through it.
func namedForPeople(err error, spoolPath, name string) error {
	msg := err.Error()
	if !strings.Contains(msg, spoolPath) {
		return err
	}
	return renamedError{err, strings.ReplaceAll(msg, spoolPath, name)}
}

// renamedError is an error with another message.
type renamedError struct {
	error
	msg string
}

func (e renamedError) Error() string { return e.msg }
func (e renamedError) Unwrap() error { return e.error }

// warningsOf gathers the warnings of a job's outputs, each once.
func warningsOf(r pipeline.Result) []string {
	out := slices.Clone(r.Warnings)
	seen := map[string]bool{}
	for _, o := range r.Outputs {
		for _, w := range o.Warnings {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// planFile holds a planned job's postage report in its directory.
const planFile = "plan.json"

func analysisMessage(r pipeline.Result) string {
	msg := fmt.Sprintf("%d pieces found by %s; %d pages, %d sheets", len(r.Pieces), r.Method, r.Pages, r.Sheets)
	if p := r.Plan; p != nil {
		msg += fmt.Sprintf("; planned into %d envelopes, %d outputs, postage %s (saving %s)",
			p.Report.After.Envelopes, len(p.Outputs), p.Report.After.Postage, p.Report.Saving)
		if len(p.Held) > 0 {
			msg += fmt.Sprintf("; %d pieces held for an operator", len(p.Held))
		}
	}
	return msg
}

func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = atomicfile.WriteFile(path, bytes.NewReader(append(b, '\n')), 0o644)
	return err
}
