package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/hotfolder"
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
// a new job. The job is recorded first, marked incoming, so that a crash at
// any point leaves either the file in the hot folder or the job with its
// files: recover finishes what was started.
func (d *Daemon) takeArrival(ctx context.Context, a hotfolder.Arrival) error {
	wf, ok := d.cfg.Workflow(a.Workflow)
	if !ok {
		return fmt.Errorf("workflow %q is not configured", a.Workflow)
	}
	name := filepath.Base(a.Path)
	j := spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer,
		State: spool.Pending, StateReasons: []string{reasonIncoming},
		Source: filepath.Dir(a.Path), Input: "input" + strings.ToLower(filepath.Ext(name)),
	}
	if len(a.Companions) > 0 {
		j.Sidecar = "sidecar" + strings.ToLower(filepath.Ext(a.Companions[0]))
	}
	j, err := d.createJob(j)
	if err != nil {
		return err
	}
	if err := d.finishIntake(j, a.Path, firstOr(a.Companions), a.DoneFile); err != nil {
		if fileExists(a.Path) {
			// Nothing was taken: the hot folder offers the file again later.
			d.setState(j.ID, spool.Aborted, "intake failed, the file stays in the hot folder and is taken again: "+err.Error(), "aborted-by-system")
		}
		return err
	}
	d.log.Info().Int64("job", j.ID).Str("file", name).Str("workflow", wf.Name).Msg("job received")
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
func (d *Daemon) finishIntake(j spool.Job, input, sidecar, doneFile string) error {
	dir, err := d.store.MakeJobDir(j.ID)
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
			d.log.Warn().Err(err).Int64("job", j.ID).Msg("removing the done-file")
		}
	}
	_, err = d.update(j.ID, func(j *spool.Job) error {
		j.StateReasons = removeReason(j.StateReasons, reasonIncoming)
		if len(j.StateReasons) == 0 {
			j.StateReasons = []string{queuedReason(j.State)}
		}
		j.Message = "received from " + j.Source
		return nil
	})
	d.wakeAnalyzer()
	return err
}

// moveOnce moves src to dst unless dst is already there.
func moveOnce(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	return spool.MoveFile(src, dst)
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

// submit takes a print file uploaded through the API.
func (d *Daemon) submit(opt api.SubmitOptions, body io.Reader) (spool.Job, error) {
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
	j, err := d.createJob(spool.Job{
		Name: name, Workflow: wf.Name, Printer: wf.Printer, State: state,
		StateReasons: []string{reasonIncoming}, Source: "api", Input: "input" + strings.ToLower(filepath.Ext(name)),
	})
	if err != nil {
		return spool.Job{}, err
	}
	dir, err := d.store.MakeJobDir(j.ID)
	if err == nil {
		_, err = spool.WriteFileAtomic(filepath.Join(dir, j.Input), body, 0o600)
	}
	if err != nil {
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
