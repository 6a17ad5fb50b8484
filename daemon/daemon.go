// Package daemon is omsd's long-running service: it takes print files from
// hot folders and the local API into the spool, runs the pipeline on them,
// and sends their outputs to printers, one queue per printer. It adds only
// scheduling, persistence and the API to the pipeline package.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// Version is reported by the status endpoint.
var Version = "0.1.0-dev"

// Daemon is a running omsd.
type Daemon struct {
	cfg      *config.Config
	log      zerolog.Logger
	store    *spool.Store
	errorDir string
	printers map[string]*printerQueue
	events   *hub
	started  time.Time

	analyzeWake chan struct{}
	routeWake   chan struct{}

	// routeMu serialises the router and the queues claiming outputs, so
	// an output is never routed away while a printer takes it.
	routeMu sync.Mutex
	// loopMu serialises reconciliation and reprints.
	loopMu sync.Mutex
	// intakes are the jobs whose intake failed part way.
	intakes intakeIndex

	mu       sync.Mutex
	running  map[outKey]context.CancelFunc // outputs being sent
	canceled map[int64]bool                // jobs canceled or ended while being sent
	lastSeq  uint64                        // last spool event published
}

// Run starts omsd with cfg and serves until ctx ends.
func Run(ctx context.Context, cfg *config.Config, log zerolog.Logger) error {
	d, err := open(cfg, log)
	if err != nil {
		return err
	}
	defer d.store.Close()
	return d.serve(ctx)
}

func open(cfg *config.Config, log zerolog.Logger) (*Daemon, error) {
	d := &Daemon{
		cfg:         cfg,
		log:         log,
		errorDir:    cfg.Path(cfg.Spool.ErrorDir),
		printers:    map[string]*printerQueue{},
		events:      newHub(),
		started:     time.Now().UTC(),
		analyzeWake: make(chan struct{}, 1),
		routeWake:   make(chan struct{}, 1),
		running:     map[outKey]context.CancelFunc{},
		canceled:    map[int64]bool{},
	}
	for _, dir := range []string{cfg.StateDir, d.errorDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", dir, err)
		}
	}
	for _, pc := range cfg.Printers {
		if pc.File != nil {
			if err := os.MkdirAll(cfg.Path(pc.File.Dir), 0o755); err != nil {
				return nil, fmt.Errorf("printer %q: %w", pc.Name, err)
			}
		}
		p, err := pipeline.OpenPrinter(cfg, pc.Name, log)
		if err != nil {
			return nil, err
		}
		d.printers[pc.Name] = newPrinterQueue(p, pc)
	}
	store, err := spool.Open(cfg.Path(cfg.Spool.Dir))
	if err != nil {
		return nil, err
	}
	d.store = store
	if err := d.loadPrinterStates(); err != nil {
		store.Close()
		return nil, err
	}
	if d.lastSeq, err = store.LastEventSeq(); err != nil {
		store.Close()
		return nil, err
	}
	return d, nil
}

func (d *Daemon) serve(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d.clearUploads()
	if err := d.recover(); err != nil {
		return fmt.Errorf("resuming the spool: %w", err)
	}
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	goRun := func(f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
				select {
				case errc <- err:
				default:
				}
				cancel()
			}
		}()
	}
	socket := d.cfg.Path(d.cfg.API.Socket)
	goRun(func(ctx context.Context) error {
		return localapi.Serve(ctx, socket, localapi.NewHandler(backend{d}, d.log, localapi.WithMaxUpload(int64(d.cfg.API.MaxUpload))), d.log)
	})
	goRun(d.analyzeLoop)
	goRun(d.routeLoop)
	goRun(d.pollPrinters)
	for _, q := range d.printers {
		goRun(func(ctx context.Context) error { return d.dispatchLoop(ctx, q) })
	}
	for _, h := range d.cfg.HotFolders {
		goRun(func(ctx context.Context) error { return d.watch(ctx, h) })
	}
	for _, l := range d.cfg.Lines {
		goRun(func(ctx context.Context) error { return d.watchResults(ctx, l) })
	}
	goRun(d.loopHousekeeping)
	goRun(d.retentionLoop)
	goRun(d.retryIntakes)
	d.log.Info().Str("state_dir", d.cfg.StateDir).Str("socket", socket).
		Int("printers", len(d.printers)).Int("hot_folders", len(d.cfg.HotFolders)).Msg("omsd started")
	<-ctx.Done()
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	d.log.Info().Msg("omsd stopped")
	return nil
}

// wakeAnalyzer tells the analyzer there may be work.
func (d *Daemon) wakeAnalyzer() {
	select {
	case d.analyzeWake <- struct{}{}:
	default:
	}
}
