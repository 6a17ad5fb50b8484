package channels

import (
	"context"
	"fmt"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
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
	docs := &pieceDocs{store: s.store, job: j}
	for _, seq := range sortedSeqs(ds) {
		p, ok := bySeq[seq]
		if d := ds[seq]; ok && !d.Done() && d.State != spool.DeliveryFailed {
			docs.ahead = append(docs.ahead, p)
		}
	}
	defer s.closeMailer(wf.Name)
	var next time.Time
	var failed []spool.Delivery
	for _, seq := range sortedSeqs(ds) {
		if ctx.Err() != nil {
			return next, nil
		}
		d := ds[seq]
		switch {
		case d.Done():
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
			d, err = s.email(ctx, wf, j, docs, p, d)
		case config.PortalChannel:
			d, err = s.portal(wf, j, docs, p, d)
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
	if len(failed) > 0 {
		if err := s.fallBack(j, wf, failed, bySeq); err != nil {
			return next, err
		}
	}
	return next, nil
}

// record stores d, and the piece event kind with detail when kind is
// not empty, in one transaction.
func (s *Service) record(j spool.Job, d spool.Delivery, kind, detail string) error {
	var entries []spool.TrackEntry
	if kind != "" {
		entries = append(entries, spool.TrackEntry{Root: jobs.Root(j), Seq: d.Seq,
			Event: spool.PieceEvent{Time: time.Now().UTC(), Kind: kind, Job: j.ID, Detail: detail}})
	}
	return s.store.PutDeliveries([]spool.Delivery{d}, entries)
}

// closeMailer ends the connection of workflow name's mailer.
func (s *Service) closeMailer(name string) {
	if m, ok := s.mailers[name]; ok {
		m.close()
	}
}
