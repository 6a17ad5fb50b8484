package archive

import (
	"context"
	"fmt"
	"os"

	"github.com/omsd/omsd/archive/index"
)

// ReindexResult is what a rebuild indexed.
type ReindexResult struct {
	Segments int `json:"segments"`
	Pieces   int `json:"pieces"`
}

// Reindex rebuilds the index from the ledger's live segments alone, into
// a new file that replaces the old one when complete.
func (s *Service) Reindex(ctx context.Context) (ReindexResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waitIndex()
	tmp := s.indexPath() + ".new"
	if err := index.Remove(tmp); err != nil {
		return ReindexResult{}, err
	}
	x, err := index.Open(tmp)
	if err != nil {
		return ReindexResult{}, err
	}
	res, err := s.fill(ctx, x)
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		index.Remove(tmp)
		return res, err
	}
	if err := s.idx.Close(); err != nil {
		return res, err
	}
	if err := os.Rename(tmp, s.indexPath()); err != nil {
		return res, fmt.Errorf("replacing the index: %w", err)
	}
	s.idx, err = index.Open(s.indexPath())
	s.log.Info().Int("segments", res.Segments).Int("pieces", res.Pieces).Msg("archive index rebuilt from the segments")
	return res, err
}

// fill indexes every live segment into x.
func (s *Service) fill(ctx context.Context, x *index.Index) (ReindexResult, error) {
	var res ReindexResult
	live := s.ledger.live()
	for _, e := range s.ledger.entries {
		if live[e.Segment].N != e.N {
			continue
		}
		recs, err := s.segmentTable(ctx, e.Segment)
		if err != nil {
			return res, fmt.Errorf("segment %s: %w", e.Segment, err)
		}
		if err := x.AddSegment(e.Segment, recs, e.N); err != nil {
			return res, err
		}
		res.Segments++
		res.Pieces += len(recs)
	}
	return res, x.SetApplied(uint64(len(s.ledger.entries)))
}
