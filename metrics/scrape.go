package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// scrapeTimeout bounds what a scrape asks the daemon.
const scrapeTimeout = 5 * time.Second

// PrinterStates are the values of omsd_printer_state's state label.
var PrinterStates = []string{"idle", "processing", "stopped", "paused", "disabled", "unknown"}

var (
	descJobs        = prometheus.NewDesc("omsd_jobs", "Jobs in the spool, by state.", []string{"state"}, nil)
	descOldest      = prometheus.NewDesc("omsd_jobs_oldest_change_age_seconds", "Seconds since the active job in each state that changed longest ago last changed.", []string{"state"}, nil)
	descQueue       = prometheus.NewDesc("omsd_queue_depth", "Jobs waiting for the printer.", []string{"printer"}, nil)
	descQueueSheets = prometheus.NewDesc("omsd_queue_sheets", "Sheets of the outputs queued on the printer.", []string{"printer"}, nil)
	descPrinter     = prometheus.NewDesc("omsd_printer_state", "1 for the printer's state, 0 for the others: "+
		"idle, processing, stopped (by the device or its error policy), paused, disabled, unknown.", []string{"printer", "state"}, nil)
	descAlarmsOpen = prometheus.NewDesc("omsd_integrity_alarms_open", "Integrity alarms not yet acknowledged.", nil, nil)
	descFree       = prometheus.NewDesc("omsd_filesystem_free_bytes", "Free bytes of a filesystem omsd writes to.", []string{"path"}, nil)
	descMinFree    = prometheus.NewDesc("omsd_filesystem_min_free_bytes", "The free space omsd keeps on the filesystem (spool.min_free); below it intake pauses.", []string{"path"}, nil)
	descAtRisk     = prometheus.NewDesc("omsd_jobs_at_risk", "Active jobs predicted to finish after their deadline.", nil, nil)
)

// scrapeCollector reads the gauges at scrape time.
type scrapeCollector struct{ s *Service }

// Describe implements prometheus.Collector.
func (c scrapeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descJobs, descOldest, descQueue, descQueueSheets, descPrinter, descAlarmsOpen, descFree, descMinFree, descAtRisk} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c scrapeCollector) Collect(ch chan<- prometheus.Metric) {
	c.jobs(ch)
	now := time.Now()
	snap := c.s.snapshot(now)
	c.printers(ch, snap)
	c.active(ch, snap, now)
	if c.s.live == nil {
		return
	}
	for _, fs := range c.s.live.Filesystems() {
		ch <- prometheus.MustNewConstMetric(descFree, prometheus.GaugeValue, float64(fs.Free), fs.Path)
		ch <- prometheus.MustNewConstMetric(descMinFree, prometheus.GaugeValue, float64(fs.MinFree), fs.Path)
	}
}

// snapshotAge is how long a scrape's reading of the active jobs and the
// printers serves the next scrapes: each reads every active job and asks
// every device its state, too much to do every second.
const snapshotAge = 5 * time.Second

// snapshot is what the scrapes read of the active jobs and the printers.
type snapshot struct {
	at          time.Time
	active      []spool.Job
	activeErr   error
	printers    []api.Printer
	printersErr error
}

// snapshot returns the last reading if it is younger than snapshotAge,
// else reads afresh.
func (s *Service) snapshot(now time.Time) snapshot {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	if !s.snap.at.IsZero() && now.Sub(s.snap.at) < snapshotAge {
		return s.snap
	}
	snap := snapshot{at: now}
	snap.active, snap.activeErr = s.store.ActiveJobs()
	if s.live != nil {
		ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
		snap.printers, snap.printersErr = s.live.Printers(ctx)
		cancel()
	}
	s.snap = snap
	return snap
}

func (c scrapeCollector) jobs(ch chan<- prometheus.Metric) {
	counts, err := c.s.store.CountJobs()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descJobs, err)
		return
	}
	for _, st := range spool.States {
		ch <- prometheus.MustNewConstMetric(descJobs, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}

// active reads the active jobs: the oldest change per state, the open
// integrity alarms, and the jobs at risk of missing their deadline.
func (c scrapeCollector) active(ch chan<- prometheus.Metric, snap snapshot, now time.Time) {
	list := snap.active
	if snap.activeErr != nil {
		ch <- prometheus.NewInvalidMetric(descOldest, snap.activeErr)
		return
	}
	oldest := map[spool.State]time.Time{}
	alarms := 0
	for _, j := range list {
		if o, ok := oldest[j.State]; !ok || j.Updated.Before(o) {
			oldest[j.State] = j.Updated
		}
		if j.Loop != nil {
			alarms += len(j.Loop.Alarms)
		}
	}
	for _, st := range spool.ActiveStates {
		age := 0.0
		if o, ok := oldest[st]; ok {
			age = max(0, now.Sub(o).Seconds())
		}
		ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age, string(st))
	}
	ch <- prometheus.MustNewConstMetric(descAlarmsOpen, prometheus.GaugeValue, float64(alarms))
	ch <- prometheus.MustNewConstMetric(descAtRisk, prometheus.GaugeValue, float64(c.s.atRisk(list, snap.printers, now)))
}

// printers reports the printers' queues and states.
func (c scrapeCollector) printers(ch chan<- prometheus.Metric, snap snapshot) {
	if snap.printersErr != nil {
		ch <- prometheus.NewInvalidMetric(descPrinter, snap.printersErr)
		return
	}
	list := snap.printers
	for _, p := range list {
		ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(p.Queued), p.Name)
		ch <- prometheus.MustNewConstMetric(descQueueSheets, prometheus.GaugeValue, float64(p.QueuedSheets), p.Name)
		state := printerState(p.State, p.Stopped, p.Paused, p.Disabled)
		for _, st := range PrinterStates {
			v := 0.0
			if st == state {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(descPrinter, prometheus.GaugeValue, v, p.Name, st)
		}
	}
}

// printerState is one of PrinterStates: the operator's and the error
// policy's states before the device's.
func printerState(device string, stopped, paused, disabled bool) string {
	switch {
	case disabled:
		return "disabled"
	case paused:
		return "paused"
	case stopped || device == "stopped":
		return "stopped"
	case device == "idle" || device == "processing":
		return device
	}
	return "unknown"
}

// ResultEvents implements loop.Observer.
func (s *Service) ResultEvents(line, kind string, n int) {
	s.m.results.WithLabelValues(line, kind).Add(float64(n))
}

// Reprinted implements loop.Observer.
func (s *Service) Reprinted(reason string, pieces int) {
	s.m.reprints.WithLabelValues(reason).Inc()
	s.m.reprintedPieces.WithLabelValues(reason).Add(float64(pieces))
}
