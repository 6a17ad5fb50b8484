package hotfolder

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"
)

// eventDelay is how long Watch waits after a file system event before it
// scans, so that a burst of events costs one scan.
const eventDelay = 50 * time.Millisecond

// Watch scans cfg.Dir until ctx ends, calling handle for each complete print
// file: synchronously, one file at a time, in name order within a scan.
//
// handle must move the file, its done-file and its companions out of the
// folder, or into an error folder. If it returns an error the error is logged
// and the file is offered again on a later scan, but not before
// StableScans×ScanInterval has passed. A file that is still present and
// unchanged after handle succeeded is not offered again (a warning is logged
// once). A file that disappeared between the scan and handle is skipped
// quietly.
//
// Watch creates cfg.Dir (mode 0775 before umask) if it is missing. It
// returns an error wrapping ErrInvalidConfig for a bad cfg, an error if the
// directory cannot be created or watched at start, and ctx.Err() once ctx
// ends.
func Watch(ctx context.Context, cfg Config, log zerolog.Logger, handle func(context.Context, Arrival) error) error {
	s, err := newScanner(cfg, log)
	if err != nil {
		return err
	}
	dir := s.cfg.Dir
	if err := os.MkdirAll(dir, 0o775); err != nil {
		return fmt.Errorf("hot folder %s: %w", dir, err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("hot folder %s: watcher: %w", dir, err)
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return fmt.Errorf("hot folder %s: watch: %w", dir, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l := &loop{s: s, w: w, handle: handle}
	return l.run(ctx)
}

// loop wires a scanner to a ticker and fsnotify events.
type loop struct {
	s       *scanner
	w       *fsnotify.Watcher
	handle  func(context.Context, Arrival) error
	failing string // the last scan error, logged once until a scan succeeds
	rewatch bool   // the directory went away: watch it again once it is back
}

// run scans at once, then on every tick and shortly after each relevant
// event, until ctx ends.
func (l *loop) run(ctx context.Context) error {
	tick := time.NewTicker(l.s.cfg.ScanInterval)
	defer tick.Stop()
	early := time.NewTimer(eventDelay)
	early.Stop()
	defer early.Stop()
	armed := false
	events, errs := l.w.Events, l.w.Errors

	l.scan(ctx)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			l.scan(ctx)
		case <-early.C:
			armed = false
			l.scan(ctx)
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if l.wants(ev) && !armed {
				early.Reset(eventDelay)
				armed = true
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			l.s.log.Warn().Err(err).Msg("file system watch error; rescanning")
			if !armed {
				early.Reset(0)
				armed = true
			}
		}
	}
}

// wants reports whether ev calls for an early scan. A file created or
// renamed into the folder (a print file or its done-file) does; writes do
// not, since a file being written is not complete anyway.
func (l *loop) wants(ev fsnotify.Event) bool {
	if filepath.Clean(ev.Name) == l.s.cfg.Dir && ev.Has(fsnotify.Remove|fsnotify.Rename) {
		l.rewatch = true
		return false
	}
	return ev.Has(fsnotify.Create)
}

// scan runs one scan and hands over what it found.
func (l *loop) scan(ctx context.Context) {
	arrivals, err := l.s.scan(time.Now())
	if err != nil {
		if msg := err.Error(); msg != l.failing {
			l.failing = msg
			l.s.log.Warn().Err(err).Msg("scan failed")
		}
		l.rewatch = true
		return
	}
	if l.failing != "" {
		l.failing = ""
		l.s.log.Info().Msg("scan works again")
	}
	if l.rewatch {
		l.rewatch = false
		if err := l.w.Add(l.s.cfg.Dir); err != nil {
			l.s.log.Warn().Err(err).Msg("cannot watch again; relying on rescans")
		}
	}
	for _, a := range arrivals {
		if ctx.Err() != nil {
			return
		}
		l.offer(ctx, a)
	}
}

// offer hands a to the handler and records the outcome.
func (l *loop) offer(ctx context.Context, a Arrival) {
	log := l.s.log.With().Str("file", filepath.Base(a.Path)).Logger()
	if _, err := os.Lstat(a.Path); errors.Is(err, fs.ErrNotExist) {
		log.Debug().Msg("file gone before it was taken; skipped")
		return
	}
	err := l.handle(ctx, a)
	l.s.settle(a, err, time.Now())
	if err == nil {
		log.Debug().Msg("file taken")
		return
	}
	if _, serr := os.Lstat(a.Path); errors.Is(serr, fs.ErrNotExist) {
		log.Debug().Err(err).Msg("handler failed on a file that is gone")
		return
	}
	if errors.Is(err, ErrDeferred) {
		log.Debug().Err(err).Dur("retry_after", l.s.cfg.retryDelay()).Msg("file deferred; offered again later")
		return
	}
	log.Warn().Err(err).Dur("retry_after", l.s.cfg.retryDelay()).Msg("handler failed; file offered again later")
}
