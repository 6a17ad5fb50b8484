package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/sdnotify"
	"github.com/omsd/omsd/spool"
)

// ErrReload wraps why a reload was refused; the running configuration
// stays.
var ErrReload = errors.New("daemon: configuration not reloaded")

// Option configures Run.
type Option func(*Daemon)

// WithReload lets omsd reload its configuration without a restart: on
// each signal (SIGHUP) and on the API's reload, load reads the file again.
func WithReload(load func() (*config.Config, error), signals <-chan os.Signal) Option {
	return func(d *Daemon) {
		d.reload = reloadSource{load: load, signals: signals, requests: make(chan *config.Config, 1)}
	}
}

// reloadSource is where new configurations come from.
type reloadSource struct {
	load     func() (*config.Config, error) // nil: started without a file
	signals  <-chan os.Signal
	requests chan *config.Config // checked configurations from the API
}

// check reads the configuration file again and checks it: every problem
// of the file, and the settings that only a restart changes.
func (d *Daemon) check() (*config.Config, error) {
	if d.reload.load == nil {
		return nil, fmt.Errorf("%w: omsd was started without a configuration file (--config FILE) to read again", ErrReload)
	}
	cfg, err := d.reload.load()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrReload, err)
	}
	if fixed := restartOnly(d.cfg, cfg); len(fixed) > 0 {
		return nil, fmt.Errorf("%w: %s changed, which takes a restart (systemctl restart omsd); change it back to reload the rest",
			ErrReload, strings.Join(fixed, ", "))
	}
	return cfg, nil
}

// restartOnly names the settings that differ between old and cfg and that
// a reload cannot change: where the state and the spool are, the socket.
func restartOnly(old, cfg *config.Config) []string {
	var fixed []string
	for _, f := range []struct {
		name     string
		old, new string
	}{
		{"state_dir", old.StateDir, cfg.StateDir},
		{"spool.dir", old.Spool.Dir, cfg.Spool.Dir},
		{"api.socket", old.API.Socket, cfg.API.Socket},
		{"api.socket_mode", old.API.SocketMode, cfg.API.SocketMode},
	} {
		if f.old != f.new {
			fixed = append(fixed, fmt.Sprintf("%s (%q -> %q)", f.name, f.old, f.new))
		}
	}
	return fixed
}

// serveReloads applies reloads until ctx ends, and returns the services
// then running.
func (d *Daemon) serveReloads(ctx context.Context, services []*group, ln *apiListener, fail func(error)) []*group {
	for {
		var cfg *config.Config
		select {
		case <-ctx.Done():
			return services
		case <-d.reload.signals:
			d.log.Info().Msg("SIGHUP: reloading the configuration")
			var err error
			if cfg, err = d.check(); err != nil {
				d.refused(err)
				continue
			}
		case cfg = <-d.reload.requests:
		}
		if err := d.apply(ctx, cfg, &services, ln, fail); err != nil {
			d.refused(err)
		}
	}
}

// apply replaces the running services by ones composed on cfg. The queues
// first stop starting sends and the sends under way finish, on the
// printers and settings they started with; then the services stop in
// reverse order and the new ones start, after the same recovery as at
// start-up. Jobs keep their place: the spool is the same.
func (d *Daemon) apply(ctx context.Context, cfg *config.Config, services *[]*group, ln *apiListener, fail func(error)) error {
	next := *d
	if err := next.compose(cfg); err != nil {
		return fmt.Errorf("%w: %w", ErrReload, err)
	}
	d.notify(sdnotify.ReloadingState(monotonic()))
	defer d.notify(sdnotify.Ready)
	d.queues.Quiesce()
	if n := d.queues.Sending(); n > 0 {
		d.log.Info().Int("sending", n).Msg("reload waits for the sends under way to finish")
	}
	for d.queues.Sending() > 0 {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(50 * time.Millisecond):
		}
	}
	stopAll(*services)
	old := d.cfg
	*d = next
	// The receivers were built on next, whose copy they would act on:
	// built again on d.
	d.lpd, d.listeners = nil, nil
	if err := d.buildLPD(); err != nil {
		fail(fmt.Errorf("the network receivers after a reload: %w", err))
		return nil
	}
	if err := d.recover(); err != nil {
		fail(fmt.Errorf("resuming the spool after a reload: %w", err))
		return nil
	}
	d.holdRemoved()
	changed := changes(old, cfg)
	d.lastReload.set(api.ReloadStatus{Time: time.Now().UTC(), Applied: true, Changes: changed})
	*services = d.start(ctx, ln.session(), fail)
	d.log.Info().Strs("changed", changed).Int("printers", d.queues.Count()).
		Int("hot_folders", len(cfg.HotFolders)).Msg("configuration reloaded")
	return nil
}

// refused logs a refused reload and keeps it for the status.
func (d *Daemon) refused(err error) {
	d.log.Error().Err(err).Msg("configuration refused; the running one stays")
	d.lastReload.set(api.ReloadStatus{Time: time.Now().UTC(), Error: err.Error()})
}

// reloadStatus is the last reload's outcome, read by the API's status.
type reloadStatus struct {
	mu   sync.Mutex
	last *api.ReloadStatus
}

func (r *reloadStatus) set(s api.ReloadStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = &s
}

func (r *reloadStatus) get() *api.ReloadStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return nil
	}
	c := *r.last
	return &c
}

// holdRemoved holds the waiting jobs whose unsent outputs are for a
// printer or pool the configuration no longer has: never dropped, they
// wait for the operator to move them or for the printer to come back.
func (d *Daemon) holdRemoved() {
	js, err := d.store.JobsInState(spool.Pending, spool.Processing)
	if err != nil {
		d.log.Error().Err(err).Msg("listing jobs to check their printers")
		return
	}
	for _, j := range js {
		gone := d.removedTarget(j)
		if gone == "" {
			continue
		}
		msg := fmt.Sprintf("printer %q is no longer in the configuration; move the job (omsctl job move %d TARGET) or add the printer back, then release it", gone, j.ID)
		if _, err := d.pub.SetState(j.ID, spool.Held, msg, "job-hold-until-specified"); err != nil {
			d.log.Error().Err(err).Int64("job", j.ID).Msg("holding a job of a removed printer")
			continue
		}
		d.log.Warn().Int64("job", j.ID).Str("printer", gone).Msg("job held: its printer was removed from the configuration")
	}
}

// removedTarget is the printer or pool an unsent output of j is for that
// the configuration does not have; "" if none.
func (d *Daemon) removedTarget(j spool.Job) string {
	if !jobs.Analyzed(j) || jobs.Incoming(j) {
		return ""
	}
	for _, o := range j.Outputs {
		if o.Sent {
			continue
		}
		t := jobs.Target(j, o)
		if _, ok := d.cfg.Printer(t); ok {
			continue
		}
		if _, ok := d.cfg.Pool(t); ok {
			continue
		}
		return t
	}
	return ""
}

// changes names what differs between old and cfg: the printers, pools,
// workflows, hot folders and lines added, removed or changed, the
// receivers
// ("printer fresh added").
func changes(old, cfg *config.Config) []string {
	var out []string
	out = append(out, diff("printer", old.Printers, cfg.Printers, func(p config.Printer) string { return p.Name })...)
	out = append(out, diff("pool", old.Pools, cfg.Pools, func(p config.Pool) string { return p.Name })...)
	out = append(out, diff("workflow", old.Workflows, cfg.Workflows, func(w config.Workflow) string { return w.Name })...)
	out = append(out, diff("hot folder", old.HotFolders, cfg.HotFolders, func(h config.HotFolder) string { return h.Dir })...)
	out = append(out, diff("line", old.Lines, cfg.Lines, func(l config.Line) string { return l.Name })...)
	if !reflect.DeepEqual(old.Receivers, cfg.Receivers) {
		out = append(out, "receivers changed")
	}
	if old.Log != cfg.Log {
		out = append(out, "log changed (takes effect at the next restart)")
	}
	return out
}

// diff compares two lists of named settings.
func diff[T any](what string, old, cur []T, name func(T) string) []string {
	var out []string
	before := map[string]T{}
	for _, o := range old {
		before[name(o)] = o
	}
	for _, c := range cur {
		o, ok := before[name(c)]
		switch {
		case !ok:
			out = append(out, what+" "+name(c)+" added")
		case !reflect.DeepEqual(o, c):
			out = append(out, what+" "+name(c)+" changed")
		}
		delete(before, name(c))
	}
	var removed []string
	for n := range before {
		removed = append(removed, what+" "+n+" removed")
	}
	slices.Sort(removed)
	return append(out, removed...)
}

// monotonic is CLOCK_MONOTONIC, which systemd wants beside RELOADING=1.
func monotonic() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// Reload is the API's reload: the file is read and checked now, and its
// problems answered; a good one is applied by the daemon's loop just after
// the answer (the API itself restarts with the services).
func (b backend) Reload(ctx context.Context) (api.Reload, error) {
	cfg, err := b.d.check()
	if err != nil {
		b.d.refused(err)
		return api.Reload{}, fmt.Errorf("%w: %w", api.ErrBadRequest, err)
	}
	select {
	case b.d.reload.requests <- cfg:
	case <-ctx.Done():
		return api.Reload{}, ctx.Err()
	}
	return api.Reload{Accepted: true, Message: "the configuration is valid and is being applied; sends under way finish first (omsctl status shows the result)"}, nil
}
