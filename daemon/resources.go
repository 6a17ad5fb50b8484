package daemon

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/spool"
)

// reasonResources is IPP's job-state-reason of a job held because omsd
// could not write its data: a full disk, a quota, a read-only filesystem,
// an I/O error.
const reasonResources = "resources-are-not-ready"

// spaceInterval is how often the free space is looked at.
const spaceInterval = 2 * time.Second

// newSpaceMonitor watches the filesystems omsd writes to: the spool, the
// error folder, the file printers' directories and the lines' manifests.
func newSpaceMonitor(d *Daemon) (*diskspace.Monitor, error) {
	cfg := d.cfg
	w, err := cfg.Spool.Watermark()
	if err != nil {
		return nil, fmt.Errorf("spool.%w", err)
	}
	paths := []string{cfg.Path(cfg.Spool.Dir), d.errorDir}
	for _, p := range cfg.Printers {
		if p.File != nil {
			paths = append(paths, cfg.Path(p.File.Dir))
		}
	}
	for _, l := range cfg.Lines {
		if l.ManifestDir != "" {
			paths = append(paths, cfg.Path(l.ManifestDir))
		}
	}
	return diskspace.NewMonitor(paths, w, cfg.Spool.RetryDelay.Std(), d.log.With().Str("service", "diskspace").Logger()), nil
}

// watchSpace resumes the jobs held for resources whenever space returns,
// and once at start for those held before omsd stopped.
func (d *Daemon) watchSpace(ctx context.Context) error {
	if d.space.Ready() == nil {
		d.spaceReturned()
	}
	return d.space.Run(ctx, spaceInterval, d.spaceReturned)
}

// spaceReturned resumes every job held for resources and wakes the
// services that wait for space.
func (d *Daemon) spaceReturned() {
	jobs, err := d.store.Jobs(spool.Held)
	if err != nil {
		d.log.Error().Err(err).Msg("listing jobs held for resources")
		return
	}
	for _, j := range jobs {
		if !heldForResources(j) {
			continue
		}
		id := j.ID
		j, err := d.update(id, func(j *spool.Job) error {
			if heldForResources(*j) {
				j.State, j.StateReasons = resumedState(*j)
				j.Message = "resumed: space is back"
			}
			return nil
		})
		if err != nil {
			d.log.Error().Err(err).Int64("job", id).Msg("resuming a job held for resources")
			continue
		}
		d.log.Info().Int64("job", id).Str("state", string(j.State)).Msg("job resumed: space is back")
	}
	d.wakeAnalyzer()
	d.wakeRouter()
	for _, q := range d.printers {
		q.wake()
	}
}

// waitsForSpace reports whether printer q writes into a filesystem that
// is short of space (a file printer), so that it does not eat into the
// room the spool keeps for its records.
func (d *Daemon) waitsForSpace(q *printerQueue) bool {
	if q.cfg.File == nil {
		return false
	}
	return d.space.ReadyFor(d.cfg.Path(q.cfg.File.Dir)) != nil
}

// holdForResources holds job id because writing what failed with a
// resource error, and closes the gate until space returns.
func (d *Daemon) holdForResources(id int64, what string, cause error) {
	d.holdJob(id, fmt.Sprintf("%s: %s", what, diskspace.Describe(cause)))
	d.space.Fail(cause)
}

// waitForSpace holds job id without trying to write: the gate is closed.
func (d *Daemon) waitForSpace(id int64, why error) {
	d.holdJob(id, "waiting for space: "+strings.TrimPrefix(why.Error(), diskspace.ErrNotReady.Error()+": "))
}

// holdJob holds job id for resources with omsd's text: what ran out,
// where, and what an operator can do.
func (d *Daemon) holdJob(id int64, what string) {
	back := "space returns"
	if !strings.Contains(what, "min_free") {
		back = fmt.Sprintf("space returns (above spool.min_free, %s)", d.space.State().Min)
	}
	msg := what + "; the job resumes by itself once " + back + ": free space or grow the filesystem (or fix the device); omsctl job release tries again at once"
	j, err := d.update(id, func(j *spool.Job) error {
		if j.State.Terminal() {
			return nil
		}
		j.State, j.StateReasons, j.Message = spool.Held, heldReasons(*j), msg
		return nil
	})
	if err != nil {
		d.log.Error().Err(err).Int64("job", id).Str("why", what).Msg("holding the job for resources")
		return
	}
	d.log.Warn().Int64("job", id).Str("state", string(j.State)).Str("why", what).Msg("job held for resources")
}

// intakeStatus is the status line of intake and the space it watches.
func (d *Daemon) intakeStatus() api.Intake {
	d.space.Ready() // look now: status is asked rarely
	st := d.space.State()
	in := api.Intake{Paused: !st.Open, Reason: st.Reason, Since: st.Since, Filesystems: []api.Filesystem{}}
	if in.Paused {
		in.Reason += "; intake resumes by itself once space returns"
	}
	for _, u := range st.Usage {
		in.Filesystems = append(in.Filesystems, api.Filesystem{
			Path: u.Path, Free: u.Free, Total: u.Total, MinFree: st.Min.For(u.Total), ReadOnly: u.ReadOnly,
		})
	}
	return in
}
