package queues

import (
	"context"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/pools"
	"github.com/omsd/omsd/spool"
)

// needs is what an output asks of a printer.
type needs = pools.Needs

// needsOf is what job j's outputs need.
func (s *Service) needsOf(j spool.Job) needs {
	wf, _ := jobs.Workflow(s.cfg, j)
	return pools.NeedsOf(wf, j.Format)
}

// canPrint reports whether the printer can print what n needs, by the
// pools' rule: its declared capabilities, else what the device said.
func (q *printerQueue) canPrint(n needs) bool {
	q.mu.Lock()
	asked := q.caps
	q.mu.Unlock()
	return pools.CanPrint(q.cfg.Capabilities, asked, n)
}

// pollPrinters reads the state of every printer in a pool (and asks IPP
// printers once for their capabilities) every interval, so pool work
// avoids members that are stopped or unreachable.
func (s *Service) pollPrinters(ctx context.Context) error {
	const interval = 2 * time.Second
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, q := range s.printers {
			if len(s.cfg.PoolsOf(q.Name)) > 0 {
				s.pollPrinter(ctx, q)
			}
		}
		s.router.Wake()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Service) pollPrinter(ctx context.Context, q *printerQueue) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	st, err := q.Status(ctx)
	var caps *drivers.Capabilities
	if cr, ok := q.Driver.(drivers.CapabilityReader); ok && err == nil && q.capsUnknown() {
		if c, cerr := cr.Capabilities(ctx); cerr == nil {
			caps = &c
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	was := q.statusErr == nil && q.status.State != "stopped"
	q.status, q.statusErr = st, err
	if caps != nil {
		q.caps = caps
	}
	if now := q.statusErr == nil && q.status.State != "stopped"; was != now {
		s.log.Info().Str("printer", q.Name).Str("state", st.State).Strs("reasons", st.Reasons).AnErr("error", err).Msg("printer state changed")
	}
}

func (q *printerQueue) capsUnknown() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.caps == nil
}

// printerConfig is the configuration of printer name.
func printerConfig(c *config.Config, name string) config.Printer {
	p, _ := c.Printer(name)
	return p
}
