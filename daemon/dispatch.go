package daemon

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// printerQueue is one printer and the scheduling state of its queue.
type printerQueue struct {
	*pipeline.Printer
	wakeCh chan struct{}

	mu         sync.Mutex
	retryAt    map[int64]time.Time // jobs waiting for a retry
	pauseUntil time.Time           // the device asked to stop the queue
}

func newPrinterQueue(p *pipeline.Printer) *printerQueue {
	return &printerQueue{Printer: p, wakeCh: make(chan struct{}, 1), retryAt: map[int64]time.Time{}}
}

func (q *printerQueue) wake() {
	select {
	case q.wakeCh <- struct{}{}:
	default:
	}
}

// dispatchLoop sends the printer's ready jobs one at a time, oldest first.
func (d *Daemon) dispatchLoop(ctx context.Context, q *printerQueue) error {
	for {
		j, wait := d.nextJob(q)
		if j != nil {
			d.dispatch(ctx, q, *j)
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-q.wakeCh:
		case <-t.C:
		}
		t.Stop()
	}
}

// nextJob returns the oldest job ready for q, or how long to wait before
// looking again.
func (d *Daemon) nextJob(q *printerQueue) (*spool.Job, time.Duration) {
	const idle = 5 * time.Second
	now := time.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	if now.Before(q.pauseUntil) {
		return nil, q.pauseUntil.Sub(now)
	}
	jobs, err := d.store.Jobs(spool.Pending)
	if err != nil {
		d.log.Error().Err(err).Msg("listing pending jobs")
		return nil, idle
	}
	wait := idle
	for _, j := range jobs {
		if j.Printer != q.Name || !analyzed(j) || incoming(j) {
			continue
		}
		if at, ok := q.retryAt[j.ID]; ok && now.Before(at) {
			wait = min(wait, at.Sub(now))
			continue
		}
		delete(q.retryAt, j.ID)
		return &j, 0
	}
	return nil, wait
}

// dispatch sends one job's output to the printer and records the outcome.
func (d *Daemon) dispatch(ctx context.Context, q *printerQueue, j spool.Job) {
	log := d.log.With().Int64("job", j.ID).Str("printer", q.Name).Logger()
	j, err := d.update(j.ID, func(j *spool.Job) error {
		if j.State != spool.Pending {
			return fmt.Errorf("job %d is %s, not pending", j.ID, j.State)
		}
		j.State, j.StateReasons, j.Message = spool.Processing, []string{"job-printing"}, "sending to "+q.Name
		j.Attempts++
		return nil
	})
	if err != nil {
		log.Debug().Err(err).Msg("job changed before dispatch")
		return
	}
	sendCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	d.mu.Lock()
	d.running[j.ID] = cancel
	d.mu.Unlock()

	log.Info().Int("attempt", j.Attempts).Int("sheets", j.Sheets).Int("outputs", len(j.Outputs)).Msg("sending job")
	start := time.Now()
	outcome, sendErr := d.sendOutputs(sendCtx, q, j)

	d.mu.Lock()
	delete(d.running, j.ID)
	byUser := d.canceled[j.ID]
	delete(d.canceled, j.ID)
	d.mu.Unlock()

	if ctx.Err() != nil && !byUser {
		// omsd is stopping: the job goes back to the queue and is sent again.
		d.setState(j.ID, spool.Pending, "omsd stopped while the job was being sent; it is sent again from its start", "job-queued")
		return
	}
	d.finish(q, j, outcome, sendErr, byUser, time.Since(start))
}

// sendOutputs sends the job's outputs that the device has not confirmed yet,
// in order, and records each one the device confirms. It stops at the first
// outcome that is not OK.
func (d *Daemon) sendOutputs(ctx context.Context, q *printerQueue, j spool.Job) (drivers.Outcome, error) {
	done := 0 // sheets of the outputs already confirmed
	for i, o := range j.Outputs {
		if o.Sent {
			done += o.Sheets
			continue
		}
		doc := drivers.Document{
			JobID: j.ID, Path: filepath.Join(d.store.JobDir(j.ID), o.File), Name: outputDocName(j, o),
			Format: j.Format, Pages: o.Pages, Sheets: o.Sheets,
		}
		outcome, err := q.Send(ctx, doc, d.progress(j, done))
		if outcome != drivers.OK {
			return outcome, err
		}
		done += o.Sheets
		if _, err := d.update(j.ID, func(j *spool.Job) error {
			j.Outputs[i].Sent = true
			j.SheetsSent = done
			return nil
		}); err != nil {
			return drivers.RetryCurrent, fmt.Errorf("recording output %s as sent: %w", o.Name, err)
		}
	}
	return drivers.OK, nil
}

// outputDocName is the name a device shows for one output of a job.
func outputDocName(j spool.Job, o spool.Output) string {
	if len(j.Outputs) == 1 {
		return j.Name
	}
	ext := filepath.Ext(j.Name)
	return strings.TrimSuffix(j.Name, ext) + "-" + o.Name + ext
}

// finish records a dispatch's outcome.
func (d *Daemon) finish(q *printerQueue, j spool.Job, outcome drivers.Outcome, sendErr error, byUser bool, took time.Duration) {
	log := d.log.With().Int64("job", j.ID).Str("printer", q.Name).Logger()
	c := transition(outcome)
	msg := fmt.Sprintf("%s on %s", outcome, q.Name)
	if sendErr != nil {
		msg += ": " + sendErr.Error()
	}
	if byUser {
		c = change{State: spool.Canceled, Reasons: []string{"job-canceled-by-user"}}
		msg = "canceled by the operator while being sent to " + q.Name
	}
	d.update(j.ID, func(j *spool.Job) error {
		j.State, j.StateReasons, j.Message = c.State, c.Reasons, msg
		if c.State == spool.Completed {
			j.SheetsSent = j.Sheets
		}
		return nil
	})
	ev := log.Info()
	if outcome != drivers.OK {
		ev = log.Warn().AnErr("error", sendErr)
	}
	ev.Str("outcome", outcome.String()).Str("state", string(c.State)).Dur("took", took).Msg("job sent")

	q.mu.Lock()
	defer q.mu.Unlock()
	delay := d.cfg.Spool.RetryDelay.Std()
	if c.Requeue == retryLater {
		q.retryAt[j.ID] = time.Now().Add(delay)
	}
	if c.StopPrinter {
		q.pauseUntil = time.Now().Add(delay)
		log.Warn().Dur("for", delay).Msg("printer queue paused")
	}
}

// progress returns the callback that publishes a job's progress while it is
// being sent, and records it in the spool at most once a second.
func (d *Daemon) progress(j spool.Job, before int) func(drivers.Progress) {
	var saved time.Time
	return func(p drivers.Progress) {
		sent := before + p.SheetsDone
		if time.Since(saved) > time.Second {
			saved = time.Now()
			d.store.UpdateJob(j.ID, func(j *spool.Job) error {
				j.SheetsSent = sent
				return nil
			})
		}
		d.events.publish(api.Event{
			Time: time.Now().UTC(), Job: j.ID, Type: "progress", State: string(spool.Processing),
			SheetsDone: sent, Sheets: j.Sheets, Message: p.Message,
		})
	}
}
