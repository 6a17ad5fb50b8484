package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/intake/hotfolder"
	"github.com/omsd/omsd/internal/failpoint"
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
// a new job. The job is recorded first, marked incoming and carrying the
// intake journal, so that a crash at any point leaves either the file in the
// hot folder or the job with its files: recover finishes what was started.
// A file offered again while its job is still incoming (its intake failed)
// continues that job; it never makes a second one.
func (s *Service) takeArrival(ctx context.Context, a hotfolder.Arrival) error {
	if err := s.space.Ready(); err != nil {
		return fmt.Errorf("%w: intake paused, %s stays in the hot folder: %w", hotfolder.ErrDeferred, filepath.Base(a.Path), err)
	}
	if id, ok := s.intakes.lookup(a.Path); ok {
		err := s.resumeIntake(id)
		if err == nil && !fileExists(a.Path) {
			return nil
		}
		if err != nil && !errors.Is(err, errSourceChanged) {
			return err
		}
		// Another file stands under the name now: it is a new arrival.
	}
	wf, ok := s.cfg.Workflow(a.Workflow)
	if !ok {
		return fmt.Errorf("workflow %q is not configured", a.Workflow)
	}
	name := filepath.Base(a.Path)
	j := spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer,
		State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming},
		Source: filepath.Dir(a.Path), Input: inputName(name),
	}
	if len(a.Companions) > 0 {
		j.Sidecar = "sidecar" + strings.ToLower(filepath.Ext(a.Companions[0]))
	}
	in, err := newIntake(a, j.Input, j.Sidecar)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // gone since the scan
	}
	if err != nil {
		return err
	}
	j.Intake = in
	j, err = s.pub.CreateJob(j)
	if err != nil {
		return err
	}
	failpoint.Hit("intake-recorded")
	if err := s.intakeFailed(j, s.moveIn(j)); err != nil {
		return err
	}
	s.log.Info().Int64("job", j.ID).Str("file", name).Str("workflow", wf.Name).Msg("job received")
	return nil
}

// newIntake records the identity of arrival a's files: the print file as
// input, its first companion as sidecar (when sidecar is not "").
func newIntake(a hotfolder.Arrival, input, sidecar string) (*spool.Intake, error) {
	in := &spool.Intake{DoneFile: spool.Path(a.DoneFile)}
	add := func(src, dst string) error {
		id, err := identOf(src)
		if err != nil {
			return err
		}
		in.Files = append(in.Files, spool.IntakeFile{Source: spool.Path(src), Dest: dst, Ident: id, Step: spool.IntakeRecorded})
		return nil
	}
	if err := add(a.Path, input); err != nil {
		return nil, err
	}
	if sidecar != "" {
		if err := add(a.Companions[0], sidecar); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// resumeIntake continues the intake of job id, if it is still incoming.
func (s *Service) resumeIntake(id int64) error {
	if !s.intakes.claim(id) {
		return errIntakeBusy
	}
	defer s.intakes.release(id)
	j, err := s.store.Job(id)
	if err != nil || !jobs.Incoming(j) || j.Intake == nil {
		s.intakes.drop(id)
		return err
	}
	return s.intakeFailed(j, s.moveIn(j))
}

// intakeFailed settles job j after its intake returned err. A file that left
// the hot folder, or was replaced, before it was taken ends the job
// (aborted, with the reason); any other error leaves the job incoming, its
// file in the hot folder or its journal part way, indexed for a retry, and is
// returned: the hot folder's next offer of the file, or retryIntakes,
// continues the same job.
func (s *Service) intakeFailed(j spool.Job, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errSourceGone):
		s.intakes.drop(j.ID)
		s.pub.SetState(j.ID, spool.Aborted, "the print file left the hot folder before it was taken: "+err.Error(), "aborted-by-system")
		return nil
	case errors.Is(err, errSourceChanged):
		s.intakes.drop(j.ID)
		s.pub.SetState(j.ID, spool.Aborted, "the print file was changed or replaced before it was taken; the file now in the hot folder is taken as a new job", "aborted-by-system")
		return err
	}
	s.intakes.add(string(j.Intake.Files[0].Source), j.ID)
	if diskspace.IsResource(err) {
		s.hold.Fail(j.ID, "taking in "+string(j.Intake.Files[0].Source), err)
		return err
	}
	s.pub.Update(j.ID, func(j *spool.Job) error {
		j.Message = "intake failed, retried: " + err.Error()
		return nil
	})
	return err
}

// Submit takes a print file uploaded through the API.
func (s *Service) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	j, err := s.submit(ctx, opt, body)
	return jobs.API(j), err
}

// submit takes a print file uploaded through the API. The file is received
// whole before the job is created (see stageUpload).
func (s *Service) submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (spool.Job, error) {
	wfName := opt.Workflow
	if wfName == "" {
		wfName = s.cfg.Workflows[0].Name
	}
	if err := s.space.Ready(); err != nil {
		return spool.Job{}, fmt.Errorf("%w: intake paused: %w", api.ErrUnavailable, err)
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
	staged, err := s.stageUpload(ctx, body)
	if diskspace.IsResource(err) {
		s.space.Fail(err)
		return spool.Job{}, fmt.Errorf("%w: receiving %s: %s; submit it again when space returns", api.ErrUnavailable, name, diskspace.Describe(err))
	}
	if err != nil {
		return spool.Job{}, fmt.Errorf("receiving %s: %w", name, err)
	}
	j, err := s.pub.CreateJob(spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer, State: state,
		StateReasons: []string{jobs.ReasonIncoming}, Source: submitSource(opt), Input: inputName(name),
		User: opt.User, Origin: opt.Origin, Metadata: opt.Metadata, Copies: opt.Copies,
	})
	if err != nil {
		os.Remove(staged)
		return spool.Job{}, err
	}
	if err := s.adoptUpload(staged, j); err != nil {
		os.Remove(staged)
		s.pub.SetState(j.ID, spool.Aborted, "upload failed: "+err.Error(), "aborted-by-system")
		if diskspace.IsResource(err) {
			s.space.Fail(err)
			return spool.Job{}, fmt.Errorf("%w: job %d: storing the upload: %s; submit it again when space returns", api.ErrUnavailable, j.ID, diskspace.Describe(err))
		}
		return spool.Job{}, fmt.Errorf("job %d: storing the upload: %w", j.ID, err)
	}
	j, err = s.pub.Update(j.ID, func(j *spool.Job) error {
		j.StateReasons, j.Message = []string{jobs.QueuedReason(j.State)}, "submitted through "+submitVia(opt)
		return nil
	})
	s.analyze.Wake()
	return j, err
}

// submitSource is a submitted job's Source: the receiver's name, or "api".
func submitSource(opt api.SubmitOptions) string {
	if opt.Source != "" {
		return opt.Source
	}
	return "api"
}

// submitVia names the way a job was submitted, for its message.
func submitVia(opt api.SubmitOptions) string {
	switch opt.Source {
	case "", "api":
		return "the API"
	case "lpd":
		return "LPD"
	case "ipp":
		return "IPP"
	}
	return opt.Source
}
