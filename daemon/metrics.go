package daemon

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
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

// configureMetrics has the metrics service read cfg, and reads its bearer
// token; a reload that cannot read it is refused.
func (d *Daemon) configureMetrics(cfg *config.Config) error {
	d.metricsToken = ""
	if f := cfg.Metrics.TokenFile; f != "" && cfg.Metrics.ListenAddr() != "" {
		tok, err := metrics.ReadToken(cfg.Path(f))
		if err != nil {
			return err
		}
		d.metricsToken = tok
	}
	d.metrics.Reconfigure(cfg)
	return nil
}

// withMetrics serves /metrics beside the local API on its socket.
func (d *Daemon) withMetrics(apiHandler http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+metrics.Path, d.metrics.Handler())
	mux.Handle("/", apiHandler)
	return mux
}

// metricsLoops are the metrics service's loops: reading the event log as
// it grows, and the TCP listener when metrics.listen is set. They stop and
// start again with the other services on a reload.
func (d *Daemon) metricsLoops() []func(context.Context) error {
	loops := []func(context.Context) error{func(ctx context.Context) error { return d.metrics.Loop(ctx, d.pub) }}
	addr, token := d.cfg.Metrics.ListenAddr(), d.metricsToken
	if addr == "" {
		return loops
	}
	return append(loops, func(ctx context.Context) error {
		return metrics.Serve(ctx, addr, token, d.metrics.Handler(), d.log)
	})
}

// Record adds an event to the spool's log and publishes it.
func (l metricsLive) Record(e spool.Event) {
	if _, err := l.d.store.AddEvent(e); err != nil {
		l.d.log.Error().Err(err).Int64("job", e.Job).Msg("recording an event")
		return
	}
	l.d.pub.Flush()
}
