package archive

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/omsd/omsd/internal/failpoint"
)

// Expired is one segment expiry deleted, or kept for a hold.
type Expired struct {
	Segment string   `json:"segment"`
	Pieces  []string `json:"pieces"`
	Held    []string `json:"held,omitempty"` // set when a hold kept it
}

// ExpireResult is what one expiry run did.
type ExpireResult struct {
	Deleted []Expired `json:"deleted"`
	Kept    []Expired `json:"kept_for_holds,omitempty"`
}

// Expire deletes every segment all of whose pieces are past their
// retention and none held (a whole segment at a time, like a CMOD load).
// Each deletion is logged in the ledger before the segment goes.
func (s *Service) Expire(ctx context.Context, now time.Time) (ExpireResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waitIndex()
	segs, err := s.idx.Segments()
	if err != nil {
		return ExpireResult{}, err
	}
	held := s.holds.held()
	names := make([]string, 0, len(segs))
	for n := range segs {
		names = append(names, n)
	}
	slices.Sort(names)
	var res ExpireResult
	for _, name := range names {
		ids := segs[name]
		due, onHold, err := s.due(ids, held, now)
		if err != nil {
			return res, err
		}
		switch {
		case !due:
		case len(onHold) > 0:
			res.Kept = append(res.Kept, Expired{Segment: name, Pieces: ids, Held: onHold})
		default:
			if err := s.deleteSegment(ctx, name, len(ids)); err != nil {
				return res, err
			}
			res.Deleted = append(res.Deleted, Expired{Segment: name, Pieces: ids})
		}
	}
	return res, nil
}

// due reports whether all of ids are past retention, and which are held.
func (s *Service) due(ids []string, held map[string]bool, now time.Time) (bool, []string, error) {
	var onHold []string
	for _, id := range ids {
		r, err := s.idx.Get(id)
		if err != nil {
			return false, nil, err
		}
		if r.RetainUntil.IsZero() || now.Before(r.RetainUntil) {
			return false, nil, nil
		}
		if held[id] {
			onHold = append(onHold, id)
		}
	}
	return true, onHold, nil
}

// deleteSegment logs the deletion, deletes the segment, and drops it from
// the index.
func (s *Service) deleteSegment(ctx context.Context, name string, pieces int) error {
	e, err := s.ledger.append(Entry{Op: opDelete, Segment: name, Pieces: pieces, Time: s.now(), Reason: "retention expired, no hold"})
	if err != nil {
		return err
	}
	failpoint.Hit("archive-delete-logged")
	if err := s.store.Delete(ctx, name); err != nil {
		return fmt.Errorf("%w: deleting %s (the ledger logs it; it is deleted at the next start): %w", ErrStore, name, err)
	}
	s.log.Info().Str("segment", name).Int("pieces", pieces).Msg("archive segment expired and deleted")
	return s.idx.RemoveSegment(name, e.N)
}
