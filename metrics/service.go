package metrics

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/spool"
)

// ErrMetrics is wrapped by the errors of this package.
var ErrMetrics = errors.New("metrics")

// Store is what the service reads of the spool.
type Store interface {
	LastEventSeq() (uint64, error)
	Events(afterSeq uint64, limit int) ([]spool.Event, error)
	Job(id int64) (spool.Job, error)
	Pieces(id int64) ([]spool.Piece, error)
	CountJobs() (map[spool.State]int, error)
	ActiveJobs() ([]spool.Job, error)
	JobEvents(id int64) ([]spool.Event, error)
}

// Live is what the service asks the running daemon at scrape time.
type Live interface {
	// Printers are the printers' states and queues.
	Printers(ctx context.Context) ([]api.Printer, error)
	// Filesystems are the free space of the filesystems omsd writes to.
	Filesystems() []api.Filesystem
	// Plan is a planned run's postage report (api.ErrNotFound if none).
	Plan(ctx context.Context, id int64) (api.Plan, error)
	// Record adds an event to the log and publishes it.
	Record(e spool.Event)
}

// Waker wakes the service when events were recorded; the event
// publisher's Subscribe is one.
type Waker interface {
	Subscribe(ctx context.Context) (<-chan api.Event, func())
}

// eventBatch is how many events one read of the event log takes.
const eventBatch = 1000

// catchUpInterval is how often the service reads the event log when no
// event woke it, so that a quiet spool's events are not compacted away
// before they are counted.
const catchUpInterval = 10 * time.Second

// Service counts what omsd does and serves it to Prometheus.
type Service struct {
	cfg   atomic.Pointer[config.Config] // Reconfigure swaps it on a reload
	store Store
	live  Live
	log   zerolog.Logger
	reg   *prometheus.Registry
	m     *set

	mu      sync.Mutex // guards what follows: one reader of the event log at a time
	lastSeq uint64
	jobs    map[int64]*jobTrack
	closing map[int64]time.Time // runs completed whose line has not closed them, since

	warned map[int64]bool // jobs found at risk of their deadline; only Loop's goroutine

	speedMu sync.Mutex
	speeds  map[string]float64 // measured sheets a second, by printer
	dueMu   sync.Mutex
	dues    map[int64]dueOf // active jobs' deadlines

	snapMu sync.Mutex
	snap   snapshot // the scrapes' last reading of the active jobs and printers
}

// New returns the metrics service of store's events from now on: what
// the spool recorded before is not counted (Prometheus counters start
// at zero with the process).
func New(cfg *config.Config, store Store, live Live, log zerolog.Logger) (*Service, error) {
	last, err := store.LastEventSeq()
	if err != nil {
		return nil, err
	}
	s := &Service{store: store, live: live, log: log, reg: prometheus.NewRegistry(), m: newSet(),
		lastSeq: last, jobs: map[int64]*jobTrack{}, warned: map[int64]bool{}, closing: map[int64]time.Time{}, speeds: map[string]float64{}, dues: map[int64]dueOf{}}
	s.cfg.Store(cfg)
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		s.m, scrapeCollector{s})
	return s, nil
}

// Reconfigure has the service read cfg from now on (a reload): its
// workflows' carriers and deadlines, the printer speed assumed. The
// counters go on.
func (s *Service) Reconfigure(cfg *config.Config) { s.cfg.Store(cfg) }

// config is the configuration in force.
func (s *Service) config() *config.Config { return s.cfg.Load() }

// Registry is the service's private registry (for tests and the console).
func (s *Service) Registry() *prometheus.Registry { return s.reg }

// Handler serves the metrics in the Prometheus text format (or
// OpenMetrics, when the scraper asks for it), after catching up with the
// event log.
func (s *Service) Handler() http.Handler {
	h := promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{EnableOpenMetrics: true, ErrorLog: errorLog{s.log}})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.CatchUp()
		h.ServeHTTP(w, r)
	})
}

// Loop reads the event log whenever the publisher publishes, and every
// catchUpInterval, when it also looks for jobs at risk of their deadline,
// until ctx ends.
func (s *Service) Loop(ctx context.Context, w Waker) error {
	ch, cancel := w.Subscribe(ctx)
	defer cancel()
	tick := time.NewTicker(catchUpInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-ch:
			if !ok {
				return ctx.Err()
			}
			drain(ch)
		case <-tick.C:
			s.CatchUp()
			s.checkDeadlines(ctx)
			continue
		}
		s.CatchUp()
	}
}

// drain takes what is buffered in ch: one read of the log covers it.
func drain(ch <-chan api.Event) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// CatchUp counts the events recorded since the last it saw.
func (s *Service) CatchUp() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		evs, err := s.store.Events(s.lastSeq, eventBatch)
		if err != nil {
			s.log.Error().Err(err).Msg("metrics: reading the event log")
			return
		}
		for _, e := range evs {
			s.observe(e)
			s.lastSeq = e.Seq
		}
		if len(evs) < eventBatch {
			return
		}
	}
}

// errorLog sends promhttp's errors to the daemon's log.
type errorLog struct{ log zerolog.Logger }

func (l errorLog) Println(v ...any) { l.log.Error().Msgf("metrics: %v", v) }
