package daemon

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
	"github.com/omsd/omsd/hotfolder"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// watch feeds one hot folder's complete files into the spool.
func (d *Daemon) watch(ctx context.Context, h config.HotFolder) error {
	wf, _ := d.cfg.Workflow(h.Workflow)
	hc := hotfolder.Config{
		Dir:              d.cfg.Path(h.Dir),
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
	log := d.log.With().Str("dir", hc.Dir).Logger()
	return hotfolder.Watch(ctx, hc, log, d.takeArrival)
}

// takeArrival moves a complete file (and its sidecar) from a hot folder into
// a new job. The job is recorded first, marked incoming and carrying the
// intake journal, so that a crash at any point leaves either the file in the
// hot folder or the job with its files: recover finishes what was started.
// A file offered again while its job is still incoming (its intake failed)
// continues that job; it never makes a second one.
func (d *Daemon) takeArrival(ctx context.Context, a hotfolder.Arrival) error {
	if id, ok := d.intakes.lookup(a.Path); ok {
		err := d.resumeIntake(id)
		if err == nil && !fileExists(a.Path) {
			return nil
		}
		if err != nil && !errors.Is(err, errSourceChanged) {
			return err
		}
		// Another file stands under the name now: it is a new arrival.
	}
	wf, ok := d.cfg.Workflow(a.Workflow)
	if !ok {
		return fmt.Errorf("workflow %q is not configured", a.Workflow)
	}
	name := filepath.Base(a.Path)
	j := spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer,
		State: spool.Pending, StateReasons: []string{reasonIncoming},
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
	j, err = d.createJob(j)
	if err != nil {
		return err
	}
	failpoint.Hit("intake-recorded")
	if err := d.intakeFailed(j, d.moveIn(j)); err != nil {
		return err
	}
	d.log.Info().Int64("job", j.ID).Str("file", name).Str("workflow", wf.Name).Msg("job received")
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
func (d *Daemon) resumeIntake(id int64) error {
	if !d.intakes.claim(id) {
		return errIntakeBusy
	}
	defer d.intakes.release(id)
	j, err := d.store.Job(id)
	if err != nil || !incoming(j) || j.Intake == nil {
		d.intakes.drop(id)
		return err
	}
	return d.intakeFailed(j, d.moveIn(j))
}

// intakeFailed settles job j after its intake returned err. A file that left
// the hot folder, or was replaced, before it was taken ends the job
// (aborted, with the reason); any other error leaves the job incoming, its
// file in the hot folder or its journal part way, indexed for a retry, and is
// returned: the hot folder's next offer of the file, or retryIntakes,
// continues the same job.
func (d *Daemon) intakeFailed(j spool.Job, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errSourceGone):
		d.intakes.drop(j.ID)
		d.setState(j.ID, spool.Aborted, "the print file left the hot folder before it was taken: "+err.Error(), "aborted-by-system")
		return nil
	case errors.Is(err, errSourceChanged):
		d.intakes.drop(j.ID)
		d.setState(j.ID, spool.Aborted, "the print file was changed or replaced before it was taken; the file now in the hot folder is taken as a new job", "aborted-by-system")
		return err
	}
	d.intakes.add(string(j.Intake.Files[0].Source), j.ID)
	d.update(j.ID, func(j *spool.Job) error {
		j.Message = "intake failed, retried: " + err.Error()
		return nil
	})
	return err
}

func removeReason(reasons []string, r string) []string {
	out := reasons[:0:0]
	for _, x := range reasons {
		if x != r {
			out = append(out, x)
		}
	}
	return out
}

// submit takes a print file uploaded through the API. The file is received
// whole before the job is created (see stageUpload).
func (d *Daemon) submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (spool.Job, error) {
	wfName := opt.Workflow
	if wfName == "" {
		wfName = d.cfg.Workflows[0].Name
	}
	wf, ok := d.cfg.Workflow(wfName)
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
	staged, err := d.stageUpload(ctx, body)
	if err != nil {
		return spool.Job{}, fmt.Errorf("receiving %s: %w", name, err)
	}
	j, err := d.createJob(spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer, State: state,
		StateReasons: []string{reasonIncoming}, Source: "api", Input: inputName(name),
	})
	if err != nil {
		os.Remove(staged)
		return spool.Job{}, err
	}
	if err := d.adoptUpload(staged, j); err != nil {
		os.Remove(staged)
		d.setState(j.ID, spool.Aborted, "upload failed: "+err.Error(), "aborted-by-system")
		return spool.Job{}, fmt.Errorf("job %d: storing the upload: %w", j.ID, err)
	}
	j, err = d.update(j.ID, func(j *spool.Job) error {
		j.StateReasons, j.Message = []string{queuedReason(j.State)}, "submitted through the API"
		return nil
	})
	d.wakeAnalyzer()
	return j, err
}

// queuedReason is the reason a job waits in state s.
func queuedReason(s spool.State) string {
	if s == spool.Held {
		return "job-hold-until-specified"
	}
	return "job-queued"
}
