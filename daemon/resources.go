package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// spaceInterval is how often the free space is looked at.
const spaceInterval = 2 * time.Second

// newSpaceMonitor watches the filesystems omsd writes to: the spool, the
// error folder, the file printers' directories and the lines' manifests.
// The services share it: intake, analysis and reprints wait while it says
// space is short, and each holds the jobs it could not write.
func newSpaceMonitor(cfg *config.Config, log zerolog.Logger) (*diskspace.Monitor, error) {
	w, err := cfg.Spool.Watermark()
	if err != nil {
		return nil, fmt.Errorf("spool.%w", err)
	}
	paths := []string{cfg.Path(cfg.Spool.Dir), cfg.Path(cfg.Spool.ErrorDir)}
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
	if cfg.Archive != nil {
		paths = append(paths, cfg.Path(cfg.Archive.Dir))
	}
	return diskspace.NewMonitor(paths, w, cfg.Spool.RetryDelay.Std(), log.With().Str("service", "diskspace").Logger()), nil
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
	held, err := d.store.JobsInState(spool.Held)
	if err != nil {
		d.log.Error().Err(err).Msg("listing jobs held for resources")
		return
	}
	for _, j := range held {
		if !jobs.HeldForResources(j) {
			continue
		}
		id := j.ID
		j, err := d.pub.Update(id, func(j *spool.Job) error {
			if jobs.HeldForResources(*j) {
				j.State, j.StateReasons = jobs.Resumed(*j)
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
	d.received.Wake()
	d.routable.Wake()
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
