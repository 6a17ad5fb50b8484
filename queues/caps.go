package queues

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/spool"
)

// needs is what an output asks of a printer.
type needs struct {
	Format string
	Duplex bool
	Color  bool
	Media  string
}

func (n needs) String() string {
	s := []string{n.Format}
	if n.Duplex {
		s = append(s, "duplex")
	}
	if n.Color {
		s = append(s, "colour")
	}
	if n.Media != "" {
		s = append(s, n.Media)
	}
	return strings.Join(s, ", ")
}

// needsOf is what job j's outputs need.
func (s *Service) needsOf(j spool.Job) needs {
	n := needs{Format: j.Format}
	if wf, ok := s.cfg.Workflow(j.Workflow); ok {
		n.Duplex, n.Color, n.Media = wf.Duplex, wf.Routing.Color, wf.Routing.Media
	}
	return n
}

// canPrint reports whether the printer can print what n needs, by its
// declared capabilities, else by what the device said. What neither tells
// is not checked.
func (q *printerQueue) canPrint(n needs) bool {
	decl := q.cfg.Capabilities
	q.mu.Lock()
	asked := q.caps
	q.mu.Unlock()
	if asked == nil {
		asked = &drivers.Capabilities{}
	}
	formats := decl.Formats
	if len(formats) == 0 {
		formats = asked.Formats
	}
	if n.Format != "" && len(formats) > 0 && !slices.Contains(formats, n.Format) && !slices.Contains(formats, "application/octet-stream") {
		return false
	}
	if n.Duplex && !flag(decl.Duplex, asked.Duplex, q.caps != nil) {
		return false
	}
	if n.Color && !flag(decl.Color, asked.Color, q.caps != nil) {
		return false
	}
	media := decl.Media
	if len(media) == 0 {
		media = asked.Media
	}
	return n.Media == "" || len(media) == 0 || slices.Contains(media, n.Media)
}

// flag is a declared capability, else the device's answer, else true
// (unknown is not checked).
func flag(declared *bool, asked, known bool) bool {
	switch {
	case declared != nil:
		return *declared
	case known:
		return asked
	}
	return true
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
