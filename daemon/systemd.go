package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/omsd/omsd/sdnotify"
)

// notify tells systemd (Type=notify) about omsd's state: READY once the
// API listens and every service runs, STOPPING when it stops, RELOADING
// around a reload. Outside systemd it does nothing; a failure to reach
// systemd is logged, not fatal.
func (d *Daemon) notify(state string) {
	if _, err := sdnotify.Notify(state); err != nil {
		d.log.Warn().Err(err).Msg("telling systemd the service state")
	}
}

// watchdog sends WATCHDOG=1 at half the interval systemd asks for, as long
// as omsd is healthy; when it is not, the pings stop and systemd restarts
// it. Without a watchdog it returns at once.
func (d *Daemon) watchdog(ctx context.Context) error {
	every, ok := sdnotify.WatchdogInterval()
	if !ok {
		return nil
	}
	t := time.NewTicker(every / 2)
	defer t.Stop()
	for {
		if err := d.healthy(ctx, every/2); err != nil {
			d.log.Error().Err(err).Msg("unhealthy: no watchdog ping; systemd restarts omsd if this lasts")
		} else {
			d.notify(sdnotify.Watchdog)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// healthy reports whether omsd can still do its work: the spool answers a
// read within limit.
func (d *Daemon) healthy(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	done := make(chan error, 1)
	jobs := d.jobs // read here: a reload replaces d while the read below may still run
	go func() {
		_, err := jobs.Counts(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("spool: no answer within %v", limit)
	}
}
