package archive

import (
	"sync"

	"github.com/omsd/omsd/archive/index"
	"github.com/omsd/omsd/internal/failpoint"
)

// Segments are indexed on a goroutine of their own, one at a time, while
// the next segment is cut, compressed and stored. A piece is archived
// once its segment and ledger line are durable (before Archive returns);
// the index is derived from them and catches up from the ledger after a
// crash or a failed transaction. Until a segment's index transaction
// commits, its piece IDs count as archived (no piece goes in twice), and
// every read of the index waits for it (a search finds every piece
// archived before it began).
type indexing struct {
	mu sync.Mutex
	// pending are the IDs of pieces in the ledger not known to be in the
	// index: the segment in flight, and any whose transaction failed.
	pending map[string]bool
	running chan struct{} // closed when the transaction in flight ends; nil if none
	failed  bool          // a transaction failed: the index catches up from the ledger
	// hook, if set, runs in the indexing goroutine before the transaction
	// (tests hold the index back with it).
	hook func()
}

// indexSegment indexes a segment entered in the ledger as entry n, on
// the indexing goroutine once the segment before it is indexed. s.mu is
// held.
func (s *Service) indexSegment(name string, recs []Record, n uint64) {
	s.waitIndex()
	ix := &s.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.pending == nil {
		ix.pending = map[string]bool{}
	}
	for _, r := range recs {
		ix.pending[r.ID] = true
	}
	if ix.failed {
		// Indexed from the ledger, with the failed one, before the next
		// segment is stored.
		s.ready = false
		return
	}
	done := make(chan struct{})
	ix.running = done
	go s.runIndex(s.idx, name, recs, n, done)
}

func (s *Service) runIndex(idx *index.Index, name string, recs []Record, n uint64, done chan struct{}) {
	ix := &s.ix
	if ix.hook != nil {
		ix.hook()
	}
	err := idx.AddSegment(name, recs, n)
	ix.mu.Lock()
	if err != nil {
		ix.failed = true
		s.log.Error().Err(err).Str("segment", name).Msg("indexing an archived segment; it is indexed from the ledger before the next")
	} else {
		for _, r := range recs {
			delete(ix.pending, r.ID)
		}
	}
	ix.running = nil
	close(done)
	ix.mu.Unlock()
	failpoint.Hit("archive-indexed")
}

// waitIndex waits for the index transaction in flight, if any.
func (s *Service) waitIndex() {
	s.ix.mu.Lock()
	done := s.ix.running
	s.ix.mu.Unlock()
	if done != nil {
		<-done
	}
}

// indexFailed reports whether an index transaction failed since the
// index last caught up with the ledger. s.mu is held.
func (s *Service) indexFailed() bool {
	s.ix.mu.Lock()
	defer s.ix.mu.Unlock()
	return s.ix.failed
}

// indexCaughtUp records that the index holds every ledger entry. s.mu
// is held and no transaction is in flight.
func (s *Service) indexCaughtUp() {
	s.ix.mu.Lock()
	defer s.ix.mu.Unlock()
	s.ix.pending, s.ix.failed = nil, false
}

// has reports which of ids are in the ledger: indexed, or on their way.
func (s *Service) has(ids []string) (map[string]bool, error) {
	s.ix.mu.Lock()
	pending := map[string]bool{}
	for _, id := range ids {
		if s.ix.pending[id] {
			pending[id] = true
		}
	}
	s.ix.mu.Unlock()
	has, err := s.idx.Has(ids)
	for id := range pending {
		has[id] = true
	}
	return has, err
}
