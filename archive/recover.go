package archive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// recover makes the ledger name every segment the store holds and the
// index hold every live segment of the ledger.
func (s *Service) recover(ctx context.Context) error {
	if d, ok := s.store.(Dir); ok {
		removeTemps(d.Path)
	}
	names, err := s.store.List(ctx)
	if err != nil {
		return fmt.Errorf("%w: listing %s: %w", ErrStore, s.store, err)
	}
	known := map[string]bool{}
	for _, e := range s.ledger.entries {
		known[e.Segment] = true
	}
	live := s.ledger.live()
	for _, name := range names {
		switch {
		case !known[name]:
			if err := s.adopt(ctx, name); err != nil {
				return err
			}
		case live[name].Segment == "":
			// Expiry logged the deletion and stopped before it was done.
			if err := s.store.Delete(ctx, name); err != nil {
				return fmt.Errorf("%w: finishing the deletion of %s: %w", ErrStore, name, err)
			}
		}
	}
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	s.ready = true
	return nil
}

// adopt enters into the ledger a complete segment a crash left out of it.
func (s *Service) adopt(ctx context.Context, name string) error {
	seg, err := s.store.Get(ctx, name)
	if err != nil {
		return fmt.Errorf("%w: reading %s: %w", ErrStore, name, err)
	}
	recs, err := readTable(seg)
	if err != nil {
		s.log.Error().Err(err).Str("segment", name).Msg("a segment the ledger does not name is damaged; it is left as it is: check it with omsctl archive verify")
		return nil
	}
	_, err = s.ledger.append(Entry{Op: opAdd, Segment: name, SHA256: digest(seg), Size: int64(len(seg)), Pieces: len(recs), Time: s.now()})
	s.log.Warn().Str("segment", name).Int("pieces", len(recs)).Msg("a segment stored before a crash is entered into the ledger")
	return err
}

// catchUp applies the ledger entries the index does not hold yet.
func (s *Service) catchUp(ctx context.Context) error {
	s.waitIndex()
	applied, err := s.idx.Applied()
	if err != nil {
		return err
	}
	if applied > uint64(len(s.ledger.entries)) {
		applied = 0 // an index newer than the ledger is not ours: rebuild
	}
	live := s.ledger.live()
	for _, e := range s.ledger.entries[applied:] {
		if e.Op == opDelete || live[e.Segment].N != e.N {
			if err := s.idx.RemoveSegment(e.Segment, e.N); err != nil {
				return err
			}
			continue
		}
		recs, err := s.segmentTable(ctx, e.Segment)
		if err != nil {
			return err
		}
		if err := s.idx.AddSegment(e.Segment, recs, e.N); err != nil {
			return err
		}
	}
	s.indexCaughtUp()
	return nil
}

// segmentTable reads a segment's piece table.
func (s *Service) segmentTable(ctx context.Context, name string) ([]Record, error) {
	seg, err := s.store.Get(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %w", ErrStore, name, err)
	}
	return readTable(seg)
}

// removeTemps removes the temporary files of segment writes a crash cut
// off.
func removeTemps(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp-") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
