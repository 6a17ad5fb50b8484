// Package queues sends jobs' outputs to printers: it routes each output to
// a printer (a pool's least-loaded capable member), keeps one queue per
// printer, sends, records what the device confirmed piece by piece, applies
// the device's outcome and the printer's error policy, and carries out the
// operator's control of printers (pause, resume, drain, ...) and jobs (hold,
// release, cancel, move, priority, restart).
//
// Job states it writes (it reads the jobs analysis made ready: pending or
// processing, with pieces, not job-incoming):
//
//	pending    -> processing (job-printing) when a printer takes an output
//	processing -> completed when every output was sent; pending while others
//	              wait; held, stopped, canceled or aborted by the outcome
//	              and the error policy (transition maps outcomes to states)
//	processing -> pending at start-up (Recover) or at shutdown: the output is
//	              sent again from its first unconfirmed piece
//	pending    -> held, held/stopped/aborted -> pending or completed, any ->
//	              canceled by the operator; restart adds reprint outputs (or
//	              sends a job never analysed back to analysis); an aborted
//	              job only while its print file is in the spool
//	processing -> held, resources-are-not-ready, when a manifest, a resend's
//	              file or a file printer's output cannot be written for want
//	              of space; a file printer whose directory is short of space
//	              waits (package diskspace)
//
// Before each send it has the loop write the output's manifest (the
// Manifests given at construction), and it records the pieces printed in
// their histories. Completed jobs are never sent again.
package queues

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// Manifests writes the inserter manifest of the pieces seqs of output
// output of job j, which is about to go to printer.
type Manifests interface {
	WriteManifest(j spool.Job, printer, output string, seqs []int) error
}

// Service is the print queues.
type Service struct {
	cfg       *config.Config
	log       zerolog.Logger
	store     *spool.Store
	pub       *events.Publisher
	printers  map[string]*printerQueue
	router    *events.Signal // wakes the router
	manifests Manifests
	space     *diskspace.Monitor
	hold      jobs.Holder // holds jobs whose outputs cannot be written for want of space

	// routeMu serialises the router and the queues claiming outputs, so
	// an output is never routed away while a printer takes it.
	routeMu   sync.Mutex
	quiescing bool // no new sends (Quiesce); under routeMu

	mu       sync.Mutex
	running  map[outKey]context.CancelFunc // outputs being sent
	canceled map[int64]bool                // jobs canceled or ended while being sent
}

// New opens cfg's printers and reads their operator states from the
// spool. route wakes the router; manifests are written before each send;
// space (nil: none watched) holds file printers short of space.
func New(cfg *config.Config, store *spool.Store, pub *events.Publisher, space *diskspace.Monitor, route *events.Signal, manifests Manifests, log zerolog.Logger) (*Service, error) {
	s := &Service{
		cfg: cfg, log: log, store: store, pub: pub, printers: map[string]*printerQueue{},
		router: route, manifests: manifests, space: space, hold: jobs.NewHolder(pub, space, log),
		running: map[outKey]context.CancelFunc{}, canceled: map[int64]bool{},
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
		s.printers[pc.Name] = newPrinterQueue(p, pc)
	}
	if err := s.loadPrinterStates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Loops are the service's long-running loops: the router, the poller of
// pool members, and one dispatcher per printer.
func (s *Service) Loops() []func(context.Context) error {
	loops := []func(context.Context) error{s.routeLoop, s.pollPrinters}
	for _, q := range s.printers {
		loops = append(loops, func(ctx context.Context) error { return s.dispatchLoop(ctx, q) })
	}
	return loops
}

// Recover puts the jobs that were being sent when omsd stopped back in the
// queue, to be sent again from their first unconfirmed piece.
func (s *Service) Recover() error {
	js, err := s.store.Jobs(spool.Processing)
	if err != nil {
		return err
	}
	for _, j := range js {
		if jobs.Incoming(j) {
			continue
		}
		s.log.Warn().Int64("job", j.ID).Str("printer", j.Printer).Msg("job was being sent when omsd stopped; sending it again from its first unconfirmed piece")
		s.pub.SetState(j.ID, spool.Pending, "omsd restarted while the job was being sent; it is sent again from its first piece the printer had not confirmed", "job-queued")
	}
	return nil
}

// Count is the number of printers.
func (s *Service) Count() int { return len(s.printers) }
