package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// recover brings the spool back to a consistent state after omsd stopped,
// however it stopped: temporary files of cut-off writes are removed, intake that was cut off is finished (or the job is
// aborted if its file is gone), and a job that was being sent goes back to
// the queue to be sent again from its start. Completed jobs are never sent
// again.
func (d *Daemon) recover() error {
	if err := d.removeTempFiles(); err != nil {
		return err
	}
	jobs, err := d.store.JobsInState(spool.Pending, spool.Held, spool.Processing)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		switch {
		case incoming(j) && j.ReprintOf != 0:
			d.setState(j.ID, spool.Aborted, "omsd stopped while the reprint was set up; its pieces are reprinted again", "aborted-by-system")
		case incoming(j):
			d.recoverIntake(j)
		case j.State == spool.Processing:
			d.log.Warn().Int64("job", j.ID).Str("printer", j.Printer).Msg("job was being sent when omsd stopped; sending it again from its first unconfirmed piece")
			d.setState(j.ID, spool.Pending, "omsd restarted while the job was being sent; it is sent again from its first piece the printer had not confirmed", "job-queued")
		}
	}
	return nil
}

// recoverIntake finishes the intake of job j from the step its journal
// records. A job whose intake still fails stays incoming; the hot folder's
// next offer of its file continues it.
func (d *Daemon) recoverIntake(j spool.Job) {
	if j.Intake == nil {
		j.Intake = d.legacyIntake(j)
	}
	steps := intakeSteps(j.Intake)
	err := d.intakeFailed(j, d.moveIn(j))
	switch {
	case err == nil:
		d.log.Info().Int64("job", j.ID).Str("file", j.Name).Str("steps", steps).Msg("intake cut off by a restart finished from its journal")
	case errors.Is(err, errSourceChanged):
		d.log.Warn().Err(err).Int64("job", j.ID).Msg("finishing the intake")
	default:
		d.log.Error().Err(err).Int64("job", j.ID).Msg("finishing the intake; retried")
	}
}

// intakeSteps lists the journaled step of each file, for the log.
func intakeSteps(in *spool.Intake) string {
	var s []string
	for _, f := range in.Files {
		s = append(s, filepath.Base(f.Dest)+": "+f.Step)
	}
	return strings.Join(s, ", ")
}

// legacyIntake is the journal of an incoming job stored without one: what
// is in the job directory counts as moved, what is in the hot folder as
// recorded now.
func (d *Daemon) legacyIntake(j spool.Job) *spool.Intake {
	input := filepath.Join(j.Source, j.Name)
	in := &spool.Intake{}
	add := func(src, dst string) {
		f := spool.IntakeFile{Source: spool.Path(src), Dest: dst, Step: spool.IntakeRecorded}
		if fileExists(filepath.Join(d.store.JobDir(j.ID), dst)) && !fileExists(src) {
			f.Step = spool.IntakeMoved
		}
		f.Ident, _ = identOf(src)
		in.Files = append(in.Files, f)
	}
	add(input, j.Input)
	if j.Sidecar != "" {
		for _, c := range mailpiece.SidecarFor(input) {
			if strings.EqualFold(filepath.Ext(c), filepath.Ext(j.Sidecar)) {
				add(c, j.Sidecar)
			}
		}
	}
	for _, h := range d.cfg.HotFolders {
		if filepath.Clean(d.cfg.Path(h.Dir)) == filepath.Clean(j.Source) {
			in.DoneFile = spool.Path(input + h.DoneSuffix)
		}
	}
	return in
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
