package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/hotfolder"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// watch feeds one hot folder's complete files into the spool.
func (s *Service) watch(ctx context.Context, h config.HotFolder) error {
	wf, _ := s.cfg.Workflow(h.Workflow)
	hc := hotfolder.Config{
		Dir:              s.cfg.Path(h.Dir),
		Workflow:         h.Workflow,
		Pattern:          h.Pattern,
		DoneSuffix:       h.DoneSuffix,
		RequireDone:      h.RequireDone,
		Companions:       mailpiece.SidecarFor,
		RequireCompanion: wf.Pieces.Method == "sidecar",
		IgnoreExts:       []string{".json", ".csv"},
		StableScans:      h.StableScans,
		ScanInterval:     h.ScanInterval.Std(),
	}
	log := s.log.With().Str("dir", hc.Dir).Logger()
	return hotfolder.Watch(ctx, hc, log, s.takeArrival)
}

// takeArrival moves a complete file (and its sidecar) from a hot folder into
// a new job. The job is recorded first, marked incoming, so that a crash at
// any point leaves either the file in the hot folder or the job with its
// files: recover finishes what was started.
func (s *Service) takeArrival(ctx context.Context, a hotfolder.Arrival) error {
	wf, ok := s.cfg.Workflow(a.Workflow)
	if !ok {
		return fmt.Errorf("workflow %q is not configured", a.Workflow)
	}
	name := filepath.Base(a.Path)
	j := spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer,
		State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming},
		Source: filepath.Dir(a.Path), Input: "input" + strings.ToLower(filepath.Ext(name)),
	}
	if len(a.Companions) > 0 {
		j.Sidecar = "sidecar" + strings.ToLower(filepath.Ext(a.Companions[0]))
	}
	j, err := s.pub.CreateJob(j)
	if err != nil {
		return err
	}
	if err := s.finishIntake(j, a.Path, firstOr(a.Companions), a.DoneFile); err != nil {
		if fileExists(a.Path) {
			// Nothing was taken: the hot folder offers the file again later.
			s.pub.SetState(j.ID, spool.Aborted, "intake failed, the file stays in the hot folder and is taken again: "+err.Error(), "aborted-by-system")
		}
		return err
	}
	s.log.Info().Int64("job", j.ID).Str("file", name).Str("workflow", wf.Name).Msg("job received")
	return nil
}

func firstOr(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// finishIntake moves the files of an incoming job into its directory and
// queues it. Every step can be repeated: a file already moved is skipped.
func (s *Service) finishIntake(j spool.Job, input, sidecar, doneFile string) error {
	dir, err := s.store.MakeJobDir(j.ID)
	if err != nil {
		return err
	}
	if err := moveOnce(input, filepath.Join(dir, j.Input)); err != nil {
		return fmt.Errorf("job %d: taking in %s: %w", j.ID, input, err)
	}
	if j.Sidecar != "" && sidecar != "" {
		if err := moveOnce(sidecar, filepath.Join(dir, j.Sidecar)); err != nil {
			return fmt.Errorf("job %d: taking in %s: %w", j.ID, sidecar, err)
		}
	}
	if doneFile != "" {
		if err := os.Remove(doneFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.log.Warn().Err(err).Int64("job", j.ID).Msg("removing the done-file")
		}
	}
	_, err = s.pub.Update(j.ID, func(j *spool.Job) error {
		j.StateReasons = jobs.RemoveReason(j.StateReasons, jobs.ReasonIncoming)
		if len(j.StateReasons) == 0 {
			j.StateReasons = []string{jobs.QueuedReason(j.State)}
		}
		j.Message = "received from " + j.Source
		return nil
	})
	s.analyze.Wake()
	return err
}

// moveOnce moves src to dst unless dst is already there.
func moveOnce(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	return atomicfile.Move(src, dst)
}

// Submit takes a print file uploaded through the API.
func (s *Service) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	j, err := s.submit(opt, body)
	return jobs.API(j), err
}

func (s *Service) submit(opt api.SubmitOptions, body io.Reader) (spool.Job, error) {
	wfName := opt.Workflow
	if wfName == "" {
		wfName = s.cfg.Workflows[0].Name
	}
	wf, ok := s.cfg.Workflow(wfName)
	if !ok {
		return spool.Job{}, fmt.Errorf("%w: workflow %q is not configured", api.ErrBadRequest, wfName)
	}
	name := filepath.Base(opt.Name)
	if name == "." || name == "/" || name == "" {
		name = "submitted.pdf"
	}
	state := spool.Pending
	if opt.Hold {
		state = spool.Held
	}
	j, err := s.pub.CreateJob(spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer, State: state,
		StateReasons: []string{jobs.ReasonIncoming}, Source: "api", Input: "input" + strings.ToLower(filepath.Ext(name)),
	})
	if err != nil {
		return spool.Job{}, err
	}
	dir, err := s.store.MakeJobDir(j.ID)
	if err == nil {
		_, err = atomicfile.WriteFile(filepath.Join(dir, j.Input), body, 0o600)
	}
	if err != nil {
		s.pub.SetState(j.ID, spool.Aborted, "upload failed: "+err.Error(), "aborted-by-system")
		return spool.Job{}, fmt.Errorf("job %d: storing the upload: %w", j.ID, err)
	}
	j, err = s.pub.Update(j.ID, func(j *spool.Job) error {
		j.StateReasons, j.Message = []string{jobs.QueuedReason(j.State)}, "submitted through the API"
		return nil
	})
	s.analyze.Wake()
	return j, err
}
