package channels

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pdf"
	"github.com/omsd/omsd/spool"
)

// deliverJob makes the due deliveries of job id, one after the other,
// each recorded before the next starts, then sends the pieces that failed
// for good to print. It returns when its next retry is due.
func (s *Service) deliverJob(ctx context.Context, id int64) (time.Time, error) {
	j, err := s.store.Job(id)
	if err != nil {
		return time.Time{}, err
	}
	wf, ok := s.cfg.Workflow(j.Workflow)
	if !ok || wf.Channels == nil {
		return time.Time{}, fmt.Errorf("workflow %q no longer has channels; its deliveries wait", j.Workflow)
	}
	ds, err := s.store.Deliveries(id)
	if err != nil {
		return time.Time{}, err
	}
	pieces, err := s.store.Pieces(id)
	if err != nil {
		return time.Time{}, err
	}
	bySeq := make(map[int]mailpiece.Piece, len(pieces))
	for _, p := range pieces {
		bySeq[p.Seq] = p
	}
	docs := &pieceDocs{store: s.store, job: j, wf: wf, pdfa: wf.Channels.PDFA}
	for _, seq := range sortedSeqs(ds) {
		p, ok := bySeq[seq]
		if d := ds[seq]; ok && !d.Done() && d.State != spool.DeliveryFailed {
			docs.ahead = append(docs.ahead, p)
		}
	}
	defer s.closeMailer(wf.Name)
	jn := &journal{store: s.store, job: j}
	defer func() {
		if err := jn.commit(); err != nil {
			s.log.Error().Err(err).Int64("job", id).Msg("recording deliveries")
		}
	}()
	var next time.Time
	var failed []spool.Delivery
	var tasks []emailTask // for several connections
	for _, seq := range sortedSeqs(ds) {
		if ctx.Err() != nil {
			return next, nil
		}
		d := ds[seq]
		switch {
		case d.Done():
			continue
		case d.State == spool.DeliveryDelivered: // a portal piece not yet opened
			if time.Now().Before(d.OpenBy) {
				if next.IsZero() || d.OpenBy.Before(next) {
					next = d.OpenBy
				}
				continue
			}
			d.State, d.Error = spool.DeliveryFailed, "not opened in the portal by "+d.OpenBy.Format(time.RFC3339)
			jn.note(d, "", "")
			failed = append(failed, d)
			continue
		case d.State == spool.DeliveryFailed:
			failed = append(failed, d)
			continue
		case d.State == spool.DeliveryPending && time.Now().Before(d.NextTry):
			if next.IsZero() || d.NextTry.Before(next) {
				next = d.NextTry
			}
			continue
		}
		p, ok := bySeq[seq]
		if !ok {
			return next, fmt.Errorf("piece %d is gone from the job", seq)
		}
		switch d.Channel {
		case config.EmailChannel:
			if wf.Channels.PauseEmail {
				continue
			}
			if wf.Channels.Email.Connections > 1 {
				tasks = append(tasks, emailTask{p, d})
				continue
			}
			d, err = s.email(ctx, wf, s.mailers[wf.Name], jn, docs, p, d)
		case config.PortalChannel:
			d, err = s.portal(ctx, wf, jn, docs, p, d)
		}
		if err != nil {
			return next, err
		}
		if d.State == spool.DeliveryFailed {
			failed = append(failed, d)
		}
		if d.State == spool.DeliveryPending && (next.IsZero() || d.NextTry.Before(next)) {
			next = d.NextTry
		}
	}
	if err := jn.commit(); err != nil {
		return next, err
	}
	if len(tasks) > 0 {
		f, n, err := s.emailParallel(ctx, wf, j, docs, tasks)
		failed = append(failed, f...)
		if !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
		if err != nil || ctx.Err() != nil {
			return next, err
		}
	}
	if len(failed) > 0 && len(wf.Channels.FallbackCutoffs) > 0 {
		first := time.Now() // a failure noted in this pass is not recorded yet
		for _, d := range failed {
			if !d.FailedAt.IsZero() && d.FailedAt.Before(first) {
				first = d.FailedAt
			}
		}
		if cut := wf.Channels.NextCutoff(first.Local()); time.Now().Before(cut) {
			if next.IsZero() || cut.Before(next) {
				next = cut
			}
			return next, nil // they wait for the cut-off
		}
	}
	if len(failed) > 0 {
		if err := s.fallBack(j, wf, failed, bySeq); err != nil {
			return next, err
		}
	}
	return next, nil
}

// journal records a pass's deliveries of one job. What note buffers is
// committed with the next record, at the latest before the next attempt
// starts, so that the outcome of a delivery and the start of the next
// share one commit: every delivery is recorded before the next starts.
type journal struct {
	store   *spool.Store
	job     spool.Job
	ds      []spool.Delivery
	entries []spool.TrackEntry
}

// failedPDFA fails delivery d for good when err says its piece cannot be
// made the PDF/A the channel asks for (the piece then falls back to
// print), notes it, and reports whether it did.
func (jn *journal) failedPDFA(d *spool.Delivery, err error) bool {
	if !errors.Is(err, pdf.ErrNotPDFA) {
		return false
	}
	d.State, d.Error = spool.DeliveryFailed, err.Error()
	jn.note(*d, "", "")
	return true
}

// note buffers d, and the piece event kind with detail when kind is not
// empty.
func (jn *journal) note(d spool.Delivery, kind, detail string) {
	jn.ds = append(jn.ds, d)
	if kind != "" {
		jn.entries = append(jn.entries, spool.TrackEntry{Root: jobs.Root(jn.job), Seq: d.Seq,
			Event: spool.PieceEvent{Time: time.Now().UTC(), Kind: kind, Job: jn.job.ID, Detail: detail}})
	}
}

// record stores d (and its event) with what was noted, in one commit.
func (jn *journal) record(d spool.Delivery, kind, detail string) error {
	jn.note(d, kind, detail)
	return jn.commit()
}

// commit stores what was noted.
func (jn *journal) commit() error {
	if len(jn.ds) == 0 {
		return nil
	}
	err := jn.store.PutDeliveries(jn.ds, jn.entries)
	jn.ds, jn.entries = nil, nil
	return err
}

// closeMailer ends the connection of workflow name's mailer.
func (s *Service) closeMailer(name string) {
	if m, ok := s.mailers[name]; ok {
		m.close()
	}
}

// emailTask is one e-mail of a pass with several connections.
type emailTask struct {
	p mailpiece.Piece
	d spool.Delivery
}

// emailParallel sends tasks over the channel's connections at once,
// each connection with its own journal: each records a delivery before
// it starts its next (a crash leaves at most one unrecorded attempt per
// connection, made again with its Message-ID). It returns the deliveries
// that failed for good and when the next retry is due.
func (s *Service) emailParallel(ctx context.Context, wf config.Workflow, j spool.Job, docs *pieceDocs, tasks []emailTask) ([]spool.Delivery, time.Time, error) {
	var (
		mu     sync.Mutex
		failed []spool.Delivery
		next   time.Time
		first  error
	)
	conns := s.mailers[wf.Name].more(min(wf.Channels.Email.Connections, len(tasks)))
	queue := make(chan emailTask)
	var wg sync.WaitGroup
	for _, m := range conns {
		wg.Go(func() {
			defer m.close()
			jn := &journal{store: s.store, job: j}
			for t := range queue {
				d, err := s.email(ctx, wf, m, jn, docs, t.p, t.d)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				if d.State == spool.DeliveryFailed {
					failed = append(failed, d)
				}
				if d.State == spool.DeliveryPending && !d.NextTry.IsZero() && (next.IsZero() || d.NextTry.Before(next)) {
					next = d.NextTry
				}
				mu.Unlock()
			}
			if err := jn.commit(); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, t := range tasks {
		select {
		case queue <- t:
		case <-ctx.Done():
			break feed
		}
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop {
			break
		}
	}
	close(queue)
	wg.Wait()
	return failed, next, first
}
