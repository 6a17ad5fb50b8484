// Package daemon is omsd's long-running process: the composition of its
// services. It takes the configuration, opens the spool, builds the
// services on it with one event publisher, recovers what a stop cut off,
// starts them in order, serves the local API from their methods, and stops
// them in reverse order.
//
// A print file flows through the services, each in its own package; they
// share the spool (the source of truth) and wake each other through the
// signals and small interfaces given here, never by calling each other:
//
//	intake    hot folders, uploads -> a job, pending, its files in the spool
//	          (wakes analysis; keeps the error folder analysis rejects into)
//	analysis  the print file -> pieces, plan, outputs (wakes the router)
//	queues    outputs -> printers: pending -> processing -> completed (or
//	          held, stopped, canceled, aborted); operator control
//	          (asks the loop for each output's manifest before sending)
//	loop      manifests, line results, reconciliation, reprints (new jobs,
//	          wakes the router), alarms, close-out
//	channels  each piece's channel before planning (asked by analysis);
//	          e-mail and portal deliveries of analysed jobs, fallback
//	          print jobs (wakes analysis)
//
// So "which package moves a job from processing to completed?" — queues,
// when the device confirmed its last output. Package jobs holds what the
// services know alike about a job, and its read side for the API.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/analysis"
	"github.com/omsd/omsd/archive"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/channels"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/intake"
	"github.com/omsd/omsd/intake/lpd"
	"github.com/omsd/omsd/intake/receiver"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/loop"
	"github.com/omsd/omsd/metrics"
	"github.com/omsd/omsd/queues"
	"github.com/omsd/omsd/sdnotify"
	"github.com/omsd/omsd/spool"
)

// Daemon is a running omsd.
type Daemon struct {
	cfg     *config.Config
	log     zerolog.Logger
	store   *spool.Store
	pub     *events.Publisher
	started time.Time

	jobs     *jobs.Reader
	space    *diskspace.Monitor // the free space the services wait for
	received *events.Signal     // wakes analysis
	routable *events.Signal     // wakes the router
	intake   *intake.Service
	analysis *analysis.Service
	queues   *queues.Service
	loop     *loop.Service
	channels *channels.Service
	analysed *events.Signal // wakes the channels service
	// metrics outlives reloads, so that its counters go on; its token
	// (metrics.token_file) is read when the services are composed.
	metrics      *metrics.Service
	metricsToken string
	// The network receivers, and the guards of their listeners.
	lpd       *lpd.Server
	ipp       func(context.Context) error // the IPP server's loop
	listeners []*receiver.Guard

	reload     reloadSource // where a new configuration comes from (reload.go)
	lastReload *reloadStatus

	archive *archive.Service // nil: no archive configured (archive.go)
	audit   *audit.Log       // the audit trail; nil without an archive
}

// Run starts omsd with cfg and serves until ctx ends.
func Run(ctx context.Context, cfg *config.Config, log zerolog.Logger, opts ...Option) error {
	d, err := open(cfg, log)
	if err != nil {
		return err
	}
	for _, o := range opts {
		o(d)
	}
	defer d.store.Close()
	defer d.closeArchive()
	return d.serve(ctx)
}

// open opens the spool and builds the services on it.
func open(cfg *config.Config, log zerolog.Logger) (*Daemon, error) {
	if err := os.MkdirAll(cfg.StateDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", cfg.StateDir, err)
	}
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		return nil, err
	}
	d, err := build(cfg, store, log)
	if err != nil {
		store.Close()
		return nil, err
	}
	return d, nil
}

// build wires the services on cfg over store, with one publisher.
func build(cfg *config.Config, store *spool.Store, log zerolog.Logger) (*Daemon, error) {
	pub, err := events.NewPublisher(store, log)
	if err != nil {
		return nil, err
	}
	d := &Daemon{log: log, store: store, pub: pub, started: time.Now().UTC(), jobs: jobs.NewReader(store), lastReload: &reloadStatus{}}
	if d.metrics, err = metrics.New(cfg, store, metricsLive{d}, log); err != nil {
		return nil, err
	}
	if err := d.openArchive(context.Background(), cfg); err != nil {
		return nil, err
	}
	if err := d.compose(cfg); err != nil {
		d.closeArchive()
		return nil, err
	}
	if err := d.buildIPP(); err != nil {
		return nil, err
	}
	return d, nil
}

// compose builds the services on cfg: a job received wakes analysis,
// outputs ready and reprints queued wake the router, analysis rejects into
// intake's error folder, and queues has the loop write each output's
// manifest. A reload composes a new set on the new configuration.
func (d *Daemon) compose(cfg *config.Config) (err error) {
	d.cfg = cfg
	log := d.log
	if d.space, err = newSpaceMonitor(cfg, log); err != nil {
		return err
	}
	d.received, d.routable = events.NewSignal(), events.NewSignal()
	received, routable, space := d.received, d.routable, d.space
	if d.intake, err = intake.New(cfg, d.store, d.pub, space, received, log); err != nil {
		return err
	}
	d.analysed = events.NewSignal()
	d.analysis = analysis.New(cfg, d.store, d.pub, space, received, wakers{routable, d.analysed}, d.intake, log)
	if err := d.buildChannels(); err != nil {
		return err
	}
	d.loop = loop.New(cfg, d.store, d.pub, space, routable, log, loop.WithObserver(d.metrics))
	if d.queues, err = queues.New(cfg, d.store, d.pub, space, routable, d.loop, log, d.archiving(cfg)...); err != nil {
		return err
	}
	if err := d.configureMetrics(cfg); err != nil {
		return err
	}
	d.lpd, d.listeners = nil, nil
	return d.buildLPD()
}

// recover brings the spool back to a consistent state after omsd stopped,
// however it stopped: temporary files of cut-off writes are removed, intake
// that was cut off is finished (or the job is aborted if its file is gone),
// a reprint cut off while it was set up is aborted, and a job that was
// being sent goes back to the queue to be sent again from its first
// unconfirmed piece. Completed jobs are never sent again.
func (d *Daemon) recover() error {
	for _, r := range []func() error{d.channels.Recover, d.intake.Recover, d.loop.Recover, d.queues.Recover} {
		if err := r(); err != nil {
			return err
		}
	}
	return nil
}

// serve recovers the spool, starts the services in order — those that
// take work before those that hand it to them, the API last — applies
// reloads, and when ctx ends (or a service fails) stops them in reverse
// order.
func (d *Daemon) serve(ctx context.Context) error {
	if err := d.recover(); err != nil {
		return fmt.Errorf("resuming the spool: %w", err)
	}
	d.holdRemoved()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	fail := func(err error) {
		select {
		case errc <- err:
		default:
		}
		cancel()
	}
	socket := d.cfg.Path(d.cfg.API.Socket)
	ln, err := localapi.Listen(socket, d.cfg.API.SocketFileMode())
	if err != nil {
		return err
	}
	defer ln.Close()
	api, err := newAPIListener(ln)
	if err != nil {
		return err
	}
	services := d.start(ctx, api.session(), fail)
	d.log.Info().Str("state_dir", d.cfg.StateDir).Str("socket", socket).
		Int("printers", d.queues.Count()).Int("hot_folders", len(d.cfg.HotFolders)).Msg("omsd started")
	d.notify(sdnotify.Ready)
	watchdog := start(ctx, []func(context.Context) error{d.watchdog}, fail)
	services = d.serveReloads(ctx, services, api, fail)
	d.notify(sdnotify.Stopping)
	watchdog.stop()
	stopAll(services)
	select {
	case err := <-errc:
		return err
	default:
	}
	d.log.Info().Msg("omsd stopped")
	return nil
}

// start starts the services in order, the API on ln last.
func (d *Daemon) start(ctx context.Context, ln net.Listener, fail func(error)) []*group {
	api := func(ctx context.Context) error {
		h := localapi.NewHandler(backend{d}, d.log, localapi.WithMaxUpload(int64(d.cfg.API.MaxUpload)))
		return localapi.ServeListener(ctx, ln, d.withMetrics(h), d.log)
	}
	var started []*group
	for _, loops := range [][]func(context.Context) error{
		d.metricsLoops(), {d.watchSpace}, d.archiveLoops(), d.queues.Loops(), d.loop.Loops(), d.channels.Loops(), d.analysis.Loops(), d.intake.Loops(), d.receiverLoops(), {api}, d.consoleLoops(),
	} {
		started = append(started, start(ctx, loops, fail))
	}
	return started
}

// stopAll stops groups in reverse order.
func stopAll(groups []*group) {
	for i := len(groups) - 1; i >= 0; i-- {
		groups[i].stop()
	}
}

// group is the running loops of one service.
type group struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// start runs loops until stop is called; a loop that fails calls fail.
// The loops do not end with ctx, so that services stop one at a time.
func start(ctx context.Context, loops []func(context.Context) error, fail func(error)) *group {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &group{cancel: cancel}
	for _, f := range loops {
		g.wg.Go(func() {
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
				fail(err)
			}
		})
	}
	return g
}

// stop ends the group's loops and waits for them.
func (g *group) stop() {
	g.cancel()
	g.wg.Wait()
}
