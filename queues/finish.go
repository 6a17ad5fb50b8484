package queues

import (
	"fmt"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// finish records an attempt's outcome: the output is done, or the
// printer's error policy and the outcome decide what happens next.
func (s *Service) finish(a attempt, outcome drivers.Outcome, sendErr error, byUser bool, took time.Duration) {
	log := s.attemptLog(a)
	msg := fmt.Sprintf("%s on %s", outcome, a.q.Name)
	if sendErr != nil {
		msg += ": " + sendErr.Error()
	}
	if !byUser {
		s.noteOutcome(a, outcome, msg)
		a.q.count(outcome, a.doc.Sheets)
	}
	var st spool.Job
	switch {
	case byUser:
		st = s.endJob(a, spool.Canceled, "canceled by the operator while being sent to "+a.q.Name, "job-canceled-by-user")
	case outcome != drivers.OK && a.q.cfg.Driver == "file" && diskspace.IsResource(sendErr):
		s.hold.Fail(a.job.ID, fmt.Sprintf("writing output %d to printer %s", a.k.out+1, a.q.Name), sendErr)
		st, _ = s.store.Job(a.job.ID)
	case outcome == drivers.OK:
		a.q.mu.Lock()
		a.q.failures = 0
		a.q.mu.Unlock()
		st = s.outputDone(a)
	default:
		st = s.failed(a, outcome, msg)
	}
	ev := log.Info()
	if outcome != drivers.OK {
		ev = log.Warn().AnErr("error", sendErr)
	}
	ev.Str("outcome", outcome.String()).Str("state", string(st.State)).Dur("took", took).Msg("output sent")
}

// outputDone marks the output printed and settles the job, with the
// pieces' confirmations and histories in the same transaction.
func (s *Service) outputDone(a attempt) spool.Job {
	rest := a.seqs[min(len(a.seqs), s.confirmedSoFar(a)):]
	defer s.pub.Flush()
	j, err := s.store.RecordPrinted(a.job.ID, rest, a.q.Name, printedEntries(a), func(j *spool.Job) error {
		o := &j.Outputs[a.k.out]
		was := o.Confirmed
		o.Sent, o.Confirmed, o.Failures = true, len(o.Seqs), 0
		j.SheetsSent += o.Sheets - s.sheetsOf(a, was)
		s.settle(j, a.k, outputMessage(j, *o, "sent to "+a.q.Name))
		return nil
	})
	if err != nil {
		s.log.Error().Err(err).Int64("job", a.job.ID).Msg("recording the printed output")
	}
	return j
}

// confirmedSoFar is how many pieces of the attempt the spool has confirmed.
func (s *Service) confirmedSoFar(a attempt) int {
	j, err := s.store.Job(a.job.ID)
	if err != nil || a.k.out >= len(j.Outputs) {
		return 0
	}
	return j.Outputs[a.k.out].Confirmed - a.out.Confirmed
}

// sheetsOf is the sheets of the output's first n pieces, known from the
// attempt (whose pieces start at a.out.Confirmed).
func (s *Service) sheetsOf(a attempt, n int) int {
	sheets, err := jobs.PieceSheets(s.store, a.job.ID, a.out.Seqs[:min(n, len(a.out.Seqs))])
	if err != nil {
		return 0
	}
	return sum(sheets)
}

// settle sets a job's state from its outputs, after output k changed:
// completed when all are sent, processing while another is being sent,
// else pending. A job an operator or a policy ended keeps its state.
func (s *Service) settle(j *spool.Job, k outKey, msg string) {
	if j.State.Terminal() || j.State == spool.Held {
		return
	}
	all := true
	for _, o := range j.Outputs {
		all = all && o.Sent
	}
	switch {
	case all:
		j.State, j.StateReasons, j.Message = spool.Completed, []string{"job-completed-successfully"}, msg
	case s.othersSending(j.ID, k):
		j.State, j.StateReasons, j.Message = spool.Processing, []string{"job-printing"}, msg
	default:
		j.State, j.StateReasons, j.Message = spool.Pending, []string{"job-queued"}, msg
	}
}

// othersSending reports whether an output of job id other than k is being
// sent.
func (s *Service) othersSending(id int64, k outKey) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for rk := range s.running {
		if rk.job == id && rk != k {
			return true
		}
	}
	return false
}

// endJob ends the job for good and stops its other outputs being sent.
func (s *Service) endJob(a attempt, state spool.State, msg, reason string) spool.Job {
	j, _ := s.pub.Update(a.job.ID, func(j *spool.Job) error {
		if !j.State.Terminal() {
			j.State, j.StateReasons, j.Message = state, []string{reason}, msg
		}
		return nil
	})
	s.mu.Lock()
	for rk, stop := range s.running {
		if rk.job == a.job.ID {
			s.canceled[rk.job] = true
			stop()
		}
	}
	s.mu.Unlock()
	return j
}

// failed applies the outcome of a failed attempt.
func (s *Service) failed(a attempt, outcome drivers.Outcome, msg string) spool.Job {
	pol := a.q.cfg.ErrorPolicy
	switch outcome {
	case drivers.Hold:
		return s.setOutputState(a, spool.Held, msg, "job-hold-until-specified")
	case drivers.Cancel:
		return s.endJob(a, spool.Canceled, msg, "job-canceled-at-device")
	case drivers.RetryCurrent:
		return s.retry(a, 0, msg)
	case drivers.StopQueue:
		s.faulted(a.q, s.cfg.Spool.RetryDelay.Std(), true)
		return s.retry(a, s.cfg.Spool.RetryDelay.Std(), msg)
	case drivers.Retry:
		if pol.Action == config.PolicyRetryJob {
			return s.retryJob(a, pol, msg)
		}
		s.faulted(a.q, pol.Interval.Std(), false)
		return s.retry(a, pol.Interval.Std(), msg)
	}
	switch pol.Action { // drivers.Failed: the printer's error policy
	case config.PolicyRetryJob:
		return s.retryJob(a, pol, msg)
	case config.PolicyRetryCurrentJob:
		return s.retry(a, 0, msg)
	case config.PolicyStopPrinter:
		s.stopPrinter(a.q, msg)
		return s.retry(a, 0, msg+"; printer "+a.q.Name+" stopped by its error policy")
	}
	return s.endJob(a, spool.Aborted, msg, "aborted-by-system")
}

// retryJob retries the output on the printer after the policy's interval,
// up to its limit; then pool work fails over to another member, and a job
// for a single printer is stopped with the reason, its pieces kept, until
// an operator releases, moves or restarts it.
func (s *Service) retryJob(a attempt, pol config.ErrorPolicy, msg string) spool.Job {
	j, _ := s.store.Job(a.job.ID)
	failures := 0
	if a.k.out < len(j.Outputs) {
		failures = j.Outputs[a.k.out].Failures + 1
	}
	s.faulted(a.q, pol.Interval.Std(), false)
	if failures < pol.Limit {
		return s.retry(a, pol.Interval.Std(), msg)
	}
	if _, isPool := s.cfg.Pool(jobs.Target(j, a.out)); isPool {
		a.q.mu.Lock()
		a.q.faultedUntil = time.Now().Add(pol.Interval.Std() * time.Duration(pol.Limit))
		a.q.mu.Unlock()
		return s.retry(a, pol.Interval.Std(), msg+fmt.Sprintf("; failed %d times on %s, failing over", failures, a.q.Name))
	}
	j, _ = s.pub.Update(a.job.ID, func(j *spool.Job) error {
		if a.k.out < len(j.Outputs) {
			j.Outputs[a.k.out].Failures = failures
		}
		if !j.State.Terminal() {
			j.State, j.StateReasons = spool.Stopped, []string{"printer-stopped"}
			j.Message = msg + fmt.Sprintf("; failed %d times on %s (error_policy limit); release, move or restart the job", failures, a.q.Name)
		}
		return nil
	})
	return j
}

// retry queues the output again on the printer after delay.
func (s *Service) retry(a attempt, delay time.Duration, msg string) spool.Job {
	a.q.mu.Lock()
	a.q.retryAt[a.k] = time.Now().Add(delay)
	a.q.mu.Unlock()
	j, _ := s.pub.Update(a.job.ID, func(j *spool.Job) error {
		if a.k.out < len(j.Outputs) {
			j.Outputs[a.k.out].Failures++
		}
		s.settle(j, a.k, msg)
		return nil
	})
	return j
}

// setOutputState puts the job in state (held) unless it already ended.
func (s *Service) setOutputState(a attempt, state spool.State, msg, reason string) spool.Job {
	j, _ := s.pub.Update(a.job.ID, func(j *spool.Job) error {
		if !j.State.Terminal() {
			j.State, j.StateReasons, j.Message = state, []string{reason}, msg
		}
		return nil
	})
	return j
}

// count adds an attempt's outcome to the printer's counters.
func (q *printerQueue) count(outcome drivers.Outcome, sheets int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	c := &q.counters
	if outcome == drivers.OK {
		c.OutputsSent++
		c.SheetsSent += sheets
		c.FailuresInRow = 0
		return
	}
	c.Failures++
	c.FailuresInRow++
}

// faulted counts a failure of the printer; after its failover_after
// failures in a row (or at once when the device stopped its queue), pool
// work avoids it for a while and its queued pool outputs move.
func (s *Service) faulted(q *printerQueue, for_ time.Duration, stopQueue bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.failures++
	if stopQueue {
		q.pauseUntil = time.Now().Add(for_)
	}
	if stopQueue || q.failures >= q.cfg.ErrorPolicy.FailoverAfter {
		q.faultedUntil = time.Now().Add(max(for_, time.Second) * 2)
		s.log.Warn().Str("printer", q.Name).Int("failures", q.failures).Msg("printer keeps failing; its pool work goes to other members")
	}
}
