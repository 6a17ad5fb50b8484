package daemon

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/metrics"
	"github.com/omsd/omsd/spool"
)

// metricsLive is what the metrics service asks the daemon at scrape
// time: the queues' printers, the watched free space, a run's plan.
type metricsLive struct{ d *Daemon }

func (l metricsLive) Printers(ctx context.Context) ([]api.Printer, error) {
	return l.d.queues.Printers(ctx)
}

func (l metricsLive) Filesystems() []api.Filesystem { return l.d.intakeStatus().Filesystems }

func (l metricsLive) Plan(ctx context.Context, id int64) (api.Plan, error) {
	return l.d.analysis.Plan(ctx, id)
}

// newMetrics builds the metrics service; it reads the spool's events from
// now on.
func (d *Daemon) newMetrics() (err error) {
	d.metrics, err = metrics.New(d.cfg, d.store, metricsLive{d}, d.log)
	return err
}

// withMetrics serves /metrics beside the local API on its socket.
func (d *Daemon) withMetrics(apiHandler http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+metrics.Path, d.metrics.Handler())
	mux.Handle("/", apiHandler)
	return mux
}

// metricsLoops are the metrics service's loops: reading the event log as
// it grows, and the TCP listener when metrics.listen is set.
func (d *Daemon) metricsLoops() ([]func(context.Context) error, error) {
	loops := []func(context.Context) error{func(ctx context.Context) error { return d.metrics.Loop(ctx, d.pub) }}
	addr := d.cfg.Metrics.ListenAddr()
	if addr == "" {
		return loops, nil
	}
	token := ""
	if f := d.cfg.Metrics.TokenFile; f != "" {
		var err error
		if token, err = metrics.ReadToken(d.cfg.Path(f)); err != nil {
			return nil, err
		}
	}
	return append(loops, func(ctx context.Context) error {
		return metrics.Serve(ctx, addr, token, d.metrics.Handler(), d.log)
	}), nil
}

// Record adds an event to the spool's log and publishes it.
func (l metricsLive) Record(e spool.Event) {
	if _, err := l.d.store.AddEvent(e); err != nil {
		l.d.log.Error().Err(err).Int64("job", e.Job).Msg("recording an event")
		return
	}
	l.d.pub.Flush()
}
