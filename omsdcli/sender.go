package omsdcli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/drivers/file"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/pools"
)

// deviceTimeout bounds asking a device for its state or capabilities.
const deviceTimeout = 5 * time.Second

// sender sends the outputs of a process run to a printer, or to the member
// of a pool the pools' rule picks, as the daemon does: one that can print
// the output and is available, the least loaded by the sheets this run
// gave it (there is no spool, so no other queue counts). A member that
// fails an output is not used again in the run; the output goes to the
// next.
type sender struct {
	cfg    *config.Config
	log    zerolog.Logger
	force  bool // replace an output file of the same name
	byName map[string]*member
	// warnings are the outputs sent again on another member: what the
	// failed member printed of them may be printed twice.
	warnings []string
}

// member is a printer as the run knows it.
type member struct {
	*pipeline.Printer
	cfg    config.Printer
	asked  *drivers.Capabilities
	why    string // why it is not available, "" if it is
	load   int
	failed bool
}

func newSender(cfg *config.Config, log zerolog.Logger, force bool) *sender {
	return &sender{cfg: cfg, log: log, force: force, byName: map[string]*member{}}
}

// open opens printer name once, and for a pool member reads its state and
// capabilities.
func (s *sender) open(ctx context.Context, name string, pooled bool) (*member, error) {
	if m, ok := s.byName[name]; ok {
		return m, nil
	}
	p, err := pipeline.OpenPrinter(s.cfg, name, s.log)
	if err != nil {
		return nil, err
	}
	pc, _ := s.cfg.Printer(name)
	if pc.File != nil {
		if err := os.MkdirAll(s.cfg.Path(pc.File.Dir), 0o755); err != nil {
			return nil, err
		}
	}
	m := &member{Printer: p, cfg: pc}
	if pooled {
		m.readDevice(ctx)
	}
	s.byName[name] = m
	return m, nil
}

// readDevice asks the device for its state and, if it can tell, what it
// prints.
func (m *member) readDevice(ctx context.Context) {
	sctx, cancel := context.WithTimeout(ctx, deviceTimeout)
	defer cancel()
	st, err := m.Status(sctx)
	if ok, why := pools.DeviceAvailable(m.Kind, st, err); !ok {
		m.why = why
		return
	}
	if cr, ok := m.Driver.(drivers.CapabilityReader); ok {
		if c, err := cr.Capabilities(sctx); err == nil {
			m.asked = &c
		}
	}
}

// pick chooses the printer for an output needing n sent to target.
func (s *sender) pick(ctx context.Context, target string, n pools.Needs) (*member, error) {
	if _, isPool := s.cfg.Pool(target); !isPool {
		return s.open(ctx, target, false)
	}
	var ms []pools.Member
	var why []string
	for _, name := range s.cfg.Members(target) {
		m, err := s.open(ctx, name, true)
		if err != nil {
			why = append(why, name+": "+err.Error())
			continue
		}
		pm := pools.Member{Name: name, CanPrint: pools.CanPrint(m.cfg.Capabilities, m.asked, n), Available: m.why == "" && !m.failed, Load: m.load}
		ms = append(ms, pm)
		switch {
		case m.failed:
			why = append(why, name+": failed in this run")
		case m.why != "":
			why = append(why, name+": "+m.why)
		case !pm.CanPrint:
			why = append(why, name+": cannot print "+n.String())
		}
	}
	if name := pools.Pick(ms); name != "" {
		s.log.Debug().Str("pool", target).Str("printer", name).Strs("passed_over", why).Msg("pool member chosen")
		return s.byName[name], nil
	}
	return nil, fmt.Errorf("pool %q: no member can print the output (%s): %s", target, n, strings.Join(why, "; "))
}

// send sends doc to target; for a pool, to the member picked, and on a
// failure to the next. It returns the printer that printed it.
func (s *sender) send(ctx context.Context, target string, doc drivers.Document, n pools.Needs) (*member, drivers.Outcome, error) {
	for {
		m, err := s.pick(ctx, target, n)
		if err != nil {
			return nil, drivers.Failed, err
		}
		if err := s.checkFree(m, doc); err != nil {
			return m, drivers.Failed, err
		}
		m.load += doc.Sheets
		outcome, err := m.Send(ctx, doc, nil)
		if err == nil && outcome != drivers.OK {
			err = fmt.Errorf("printer %s: %s", m.Name, outcome)
		}
		_, isPool := s.cfg.Pool(target)
		if err == nil || !isPool || ctx.Err() != nil {
			return m, outcome, err
		}
		s.log.Warn().Err(err).Str("printer", m.Name).Str("pool", target).Str("output", doc.Name).Msg("pool member failed; the output goes to another")
		s.warnings = append(s.warnings, fmt.Sprintf("%s failed on %s (%v) and was sent to another member of %s: what %s printed of it before it failed is printed again",
			doc.Name, m.Name, err, target, m.Name))
		m.failed = true
	}
}

// checkFree refuses to replace an output file a file printer already
// holds, unless forced.
func (s *sender) checkFree(m *member, doc drivers.Document) error {
	if m.cfg.File == nil || s.force {
		return nil
	}
	path := filepath.Join(s.cfg.Path(m.cfg.File.Dir), file.OutputName(doc))
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("printer %s: %s exists (an earlier output); omsd process does not replace it: move it away, or run with --force", m.Name, path)
	}
	return nil
}
