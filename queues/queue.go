package queues

import (
	"sync"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/pools"
	"github.com/omsd/omsd/spool"
)

// outKey names one output of one job.
type outKey struct {
	job int64
	out int
}

// printerQueue is one printer and the scheduling state of its queue.
type printerQueue struct {
	*pipeline.Printer
	cfg    config.Printer
	wakeCh chan struct{}

	mu           sync.Mutex
	retryAt      map[outKey]time.Time // outputs waiting for a retry
	pauseUntil   time.Time            // the device asked to stop the queue
	faultedUntil time.Time            // kept failing: pool work goes elsewhere until then
	failures     int                  // failed attempts in a row
	sending      *outKey              // the output being sent
	sendingDone  int                  // sheets of it the device confirmed
	sendingAll   int                  // sheets of it
	state        spool.PrinterState   // the operator's state, as persisted
	status       drivers.Status       // the device's last polled state
	statusErr    error                // why the last poll failed
	caps         *drivers.Capabilities
	counters     api.PrinterCounters // what it did since omsd started
}

func newPrinterQueue(p *pipeline.Printer, pc config.Printer) *printerQueue {
	return &printerQueue{Printer: p, cfg: pc, wakeCh: make(chan struct{}, 1), retryAt: map[outKey]time.Time{},
		counters: api.PrinterCounters{Since: time.Now().UTC()}}
}

func (q *printerQueue) wake() {
	select {
	case q.wakeCh <- struct{}{}:
	default:
	}
}

// dispatching reports whether the queue may start sending now, and if
// not, how long to wait before looking again.
func (q *printerQueue) dispatching(now time.Time) (bool, time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.state.Paused || q.state.Stopped || q.state.Draining {
		return false, time.Hour
	}
	if now.Before(q.pauseUntil) {
		return false, q.pauseUntil.Sub(now)
	}
	return true, 0
}

// available reports whether pool work may be queued on the printer: the
// operator has not paused, stopped or disabled it, it has not kept
// failing, and the device is reachable, accepting and not stopped.
func (q *printerQueue) available(now time.Time) (bool, string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.state.Disabled:
		return false, "disabled"
	case q.state.Paused || q.state.Draining:
		return false, "paused"
	case q.state.Stopped:
		return false, "stopped by its error policy: " + q.state.Reason
	case now.Before(q.pauseUntil) || now.Before(q.faultedUntil):
		return false, "keeps failing"
	}
	return pools.DeviceAvailable(q.Kind, q.status, q.statusErr)
}

// load is the sheets the printer still has to print of what it is
// sending.
func (q *printerQueue) inFlightSheets() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.sending == nil {
		return 0
	}
	return q.sendingAll - q.sendingDone
}

// isSending reports whether the queue is sending output k.
func (q *printerQueue) isSending(k outKey) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.sending != nil && *q.sending == k
}
