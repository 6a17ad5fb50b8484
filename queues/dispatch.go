package queues

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// dispatchLoop sends the outputs queued on the printer one at a time:
// highest job priority first, then oldest job first, each job's outputs
// in order. It stops when ctx ends, and claims nothing more: an output
// whose send was cut off by the stop is queued again for the next start.
func (s *Service) dispatchLoop(ctx context.Context, q *printerQueue) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		k, wait := s.claimNext(q)
		if k != nil {
			s.dispatch(ctx, q, *k)
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

// claimNext finds the next output queued on q and marks q as sending it;
// nil and how long to wait if there is none.
func (s *Service) claimNext(q *printerQueue) (*outKey, time.Duration) {
	const idle = 5 * time.Second
	now := time.Now()
	if ok, wait := q.dispatching(now); !ok {
		return nil, min(wait, idle)
	}
	if s.waitsForSpace(q) {
		return nil, spaceWait
	}
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	if s.quiescing {
		return nil, idle
	}
	queue, err := s.store.Queue(q.Name)
	if err != nil {
		s.log.Error().Err(err).Msg("reading the printer's queue")
		return nil, idle
	}
	wait := idle
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range queue {
		k := outKey{e.Job, e.Output}
		if s.sendingElsewhere(q, k) {
			continue
		}
		if at, ok := q.retryAt[k]; ok && now.Before(at) {
			wait = min(wait, at.Sub(now))
			continue
		}
		delete(q.retryAt, k)
		q.sending, q.sendingDone, q.sendingAll = &k, 0, e.Sheets
		return &k, 0
	}
	return nil, wait
}

// sendingElsewhere reports whether a printer other than q sends k. q.mu is
// held by the caller.
func (s *Service) sendingElsewhere(q *printerQueue, k outKey) bool {
	for _, p := range s.printers {
		if p != q && p.isSending(k) {
			return true
		}
	}
	return false
}

// attempt is one output being sent.
type attempt struct {
	q      *printerQueue
	k      outKey
	job    spool.Job
	out    spool.Output
	seqs   []int // the pieces of this transmission, in print order
	sheets []int // their sheets
	doc    drivers.Document
}

// dispatch sends one output to the printer and records the outcome.
func (s *Service) dispatch(ctx context.Context, q *printerQueue, k outKey) {
	defer s.release(q)
	log := s.log.With().Int64("job", k.job).Int("output", k.out+1).Str("printer", q.Name).Logger()
	a, err := s.begin(q, k)
	if err != nil {
		log.Debug().Err(err).Msg("output changed before dispatch")
		return
	}
	if allConfirmed(a.out) {
		// The printer confirmed every piece before omsd stopped, and only
		// the output's end was not recorded: there is nothing to send.
		log.Info().Msg("every piece of the output was confirmed printed before omsd stopped; the output is done")
		s.outputDone(a)
		return
	}
	if err := s.manifests.WriteManifest(a.job, a.q.Name, a.out.Name, a.seqs); err != nil {
		log.Error().Err(err).Msg("writing the inserter manifest")
		if diskspace.IsResource(err) {
			s.hold.Fail(k.job, fmt.Sprintf("writing the inserter manifest of output %d", k.out+1), err)
			return
		}
		s.retry(a, s.cfg.Spool.RetryDelay.Std(), "writing the inserter manifest: "+err.Error())
		return
	}
	if !s.archive(ctx, a) {
		return
	}
	sendCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	s.running[k] = cancel
	s.mu.Unlock()

	s.noteSending(a)
	start := time.Now()
	s.recordSends(a)
	outcome, sendErr := drivers.SendCopies(sendCtx, q.Driver, a.doc, s.progress(a))
	s.sendsDone(a, sendErr)
	s.mu.Lock()
	delete(s.running, k)
	byUser := s.canceled[k.job]
	s.mu.Unlock()

	if ctx.Err() != nil && !byUser {
		// omsd is stopping: the output is sent again from its first
		// unconfirmed piece.
		s.pub.SetState(k.job, spool.Pending, "omsd stopped while the job was being sent; it is sent again from its first unconfirmed piece", "job-queued")
		return
	}
	s.finish(a, outcome, sendErr, byUser, time.Since(start))
}

// release marks q as sending nothing and lets the router and q look again.
func (s *Service) release(q *printerQueue) {
	q.mu.Lock()
	q.sending = nil
	draining := q.state.Draining
	q.mu.Unlock()
	if draining {
		s.drained(q)
	}
	s.router.Wake()
	q.wake()
}

// begin moves the job to processing and prepares the document: the
// output's file, or a file of its unconfirmed pieces after a fault.
func (s *Service) begin(q *printerQueue, k outKey) (attempt, error) {
	j, err := s.pub.Update(k.job, func(j *spool.Job) error {
		if j.State != spool.Pending && j.State != spool.Processing {
			return fmt.Errorf("job %d is %s", j.ID, j.State)
		}
		if k.out >= len(j.Outputs) || j.Outputs[k.out].Sent || j.Outputs[k.out].Printer != q.Name {
			return fmt.Errorf("job %d output %d is no longer queued on %s", j.ID, k.out+1, q.Name)
		}
		j.State, j.StateReasons, j.Message = spool.Processing, []string{"job-printing"}, outputMessage(j, j.Outputs[k.out], "sending to "+q.Name)
		j.Attempts++
		j.Outputs[k.out].Attempts++
		return nil
	})
	if err != nil {
		return attempt{}, err
	}
	a := attempt{q: q, k: k, job: j, out: j.Outputs[k.out]}
	if err := s.prepare(&a); err != nil {
		if diskspace.IsResource(err) {
			s.hold.Fail(k.job, fmt.Sprintf("preparing output %d", k.out+1), err)
			return attempt{}, err
		}
		s.pub.Update(k.job, func(j *spool.Job) error {
			j.State, j.StateReasons, j.Message = spool.Aborted, []string{"aborted-by-system"}, "preparing output: "+err.Error()
			return nil
		})
		return attempt{}, err
	}
	return a, nil
}

// prepare sets the pieces and document of an attempt.
func (s *Service) prepare(a *attempt) error {
	o := a.out
	path := filepath.Join(s.store.JobDir(a.job.ID), o.File)
	sheets, err := jobs.PieceSheets(s.store, a.job.ID, o.Seqs)
	if err != nil {
		return err
	}
	a.seqs, a.sheets = o.Seqs[min(o.Confirmed, len(o.Seqs)):], sheets[min(o.Confirmed, len(sheets)):]
	total := o.Sheets
	if o.Confirmed > 0 && !allConfirmed(o) {
		name := strings.TrimSuffix(o.File, filepath.Ext(o.File)) + fmt.Sprintf(".from%d", o.Confirmed+1) + filepath.Ext(o.File)
		if path, err = jobs.ComposeFile(s.cfg, s.store, a.job, a.seqs, name); err != nil {
			return fmt.Errorf("composing the unconfirmed pieces: %w", err)
		}
		total = sum(a.sheets)
	}
	a.doc = drivers.Document{
		JobID: a.job.ID, Path: path, Name: outputDocName(a.job, o), Format: a.job.Format,
		Pages: o.Pages, Sheets: total, Copies: a.job.Copies, CopiesDone: o.CopiesDone,
	}
	return nil
}

// allConfirmed reports whether the printer confirmed every piece of o.
func allConfirmed(o spool.Output) bool { return len(o.Seqs) > 0 && o.Confirmed >= len(o.Seqs) }

// outputDocName is the name a device shows for one output of a job.
func outputDocName(j spool.Job, o spool.Output) string {
	if len(j.Outputs) == 1 {
		return j.Name
	}
	ext := filepath.Ext(j.Name)
	return strings.TrimSuffix(j.Name, ext) + "-" + o.Name + ext
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
