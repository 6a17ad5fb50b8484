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
// however it stopped: intake that was cut off is finished (or the job is
// aborted if its file is gone), and a job that was being sent goes back to
// the queue to be sent again from its start. Completed jobs are never sent
// again.
func (d *Daemon) recover() error {
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

func (d *Daemon) recoverIntake(j spool.Job) {
	dir := d.store.JobDir(j.ID)
	input := filepath.Join(j.Source, j.Name)
	if _, err := os.Stat(filepath.Join(dir, j.Input)); err != nil && !fileExists(input) {
		d.log.Warn().Int64("job", j.ID).Str("file", j.Name).Msg("intake was cut off and the file is gone")
		d.setState(j.ID, spool.Aborted, "intake was cut off by a restart and the print file was not received; if it is still in the hot folder it arrives as a new job", "aborted-by-system")
		return
	}
	sidecar := ""
	if j.Sidecar != "" {
		for _, c := range mailpiece.SidecarFor(input) {
			if strings.EqualFold(filepath.Ext(c), filepath.Ext(j.Sidecar)) {
				sidecar = c
			}
		}
	}
	done := ""
	for _, h := range d.cfg.HotFolders {
		if filepath.Clean(d.cfg.Path(h.Dir)) == filepath.Clean(j.Source) {
			done = input + h.DoneSuffix
		}
	}
	if err := d.finishIntake(j, input, sidecar, done); err != nil {
		d.log.Error().Err(err).Int64("job", j.ID).Msg("finishing the intake")
		d.setState(j.ID, spool.Aborted, "finishing the intake after a restart: "+err.Error(), "aborted-by-system")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
