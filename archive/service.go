package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/archive/index"
	"github.com/omsd/omsd/internal/failpoint"
)

// Record is one archived piece's record.
type Record = index.Record

// ErrNotFound is returned for a piece the archive does not hold.
var ErrNotFound = index.ErrNotFound

// ErrStore wraps errors of the back end: the output that wanted archiving
// waits for it.
var ErrStore = errors.New("archive: the archive store did not take the segment")

// Auditor records who retrieved what, durably, before the answer goes
// out; a retrieval it cannot record is refused.
type Auditor interface {
	Audit(user, action, target, result string) error
}

// Options configure a Service.
type Options struct {
	Dir     string  // the archive's own directory: ledger, index, holds
	Backend Backend // nil: a Dir under Dir/segments
	Audit   Auditor // nil: retrievals are only logged
	Log     zerolog.Logger
	Now     func() time.Time // nil: time.Now
}

// Service is the archive.
type Service struct {
	dir   string
	store Backend
	audit Auditor
	log   zerolog.Logger
	now   func() time.Time

	mu    sync.Mutex // serialises writers: Archive, Expire, Reindex, holds
	ready bool       // recover ran: the ledger names every stored segment
	// problem is the last failure to store, since problemSince.
	problem      string
	problemSince time.Time
	ledger       *ledger
	idx          *index.Index
	holds        *holds
	back         *backlog
	ix           indexing
}

// ID is the piece ID of seq of job in a generation.
func ID(job int64, seq, generation int) string { return fmt.Sprintf("%d-%d-%d", job, seq, generation) }

// Open opens the archive in opt.Dir: reads the ledger, adopts segments a
// crash left out of it, and brings the index up to the ledger.
func Open(ctx context.Context, opt Options) (*Service, error) {
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, err
	}
	s := &Service{dir: opt.Dir, store: opt.Backend, audit: opt.Audit, log: opt.Log, now: opt.Now}
	if s.store == nil {
		s.store = Dir{Path: filepath.Join(opt.Dir, "segments")}
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.holds, err = loadHolds(filepath.Join(opt.Dir, "holds.json")); err != nil {
		return nil, err
	}
	if s.ledger, err = openLedger(filepath.Join(opt.Dir, "ledger.jsonl")); err != nil {
		return nil, err
	}
	var errs []error
	s.back, errs = loadBacklog(filepath.Join(opt.Dir, "backlog"))
	for _, err := range errs {
		s.log.Error().Err(err).Msg("reading the archive backlog; the file is left as it is: look at it, then move it away")
	}
	if s.idx, err = index.Open(s.indexPath()); err != nil {
		s.ledger.close()
		return nil, err
	}
	if s.idx.Dropped() {
		s.log.Warn().Msg("the system went down while the archive index held unsynced commits; it is rebuilt from the segments")
	}
	rctx, cancel := context.WithTimeout(ctx, storeWait)
	defer cancel()
	if err := s.recover(rctx); errors.Is(err, ErrStore) || rctx.Err() != nil && ctx.Err() == nil {
		// Searches work from the index; archiving waits for the store.
		s.log.Warn().Err(err).Msg("the archive store does not answer; outputs wait until it does")
	} else if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// storeWait is how long opening the archive, or a try of the backlog,
// waits for the store to list its segments: a store that is away is
// retried later, and omsd starts without it.
const storeWait = 15 * time.Second

// ensureReady finishes recovery if the store did not answer before; s.mu
// is held.
func (s *Service) ensureReady(ctx context.Context) error {
	if s.ready && !s.indexFailed() {
		return nil
	}
	return s.recover(ctx)
}

func (s *Service) indexPath() string { return filepath.Join(s.dir, "index.db") }

// Close closes the ledger and the index.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waitIndex()
	return errors.Join(s.idx.Close(), s.ledger.close())
}

// Backend is where the segments are.
func (s *Service) Backend() Backend { return s.store }

// Missing returns those of ids the archive does not hold yet (neither
// stored nor in the backlog); it needs the store to have answered.
func (s *Service) Missing(ctx context.Context, ids []string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ensureReady(ctx); err != nil {
		s.noteProblem(err)
		return nil, err
	}
	return s.missing(ids)
}

// NotQueued is Missing without the store: the ids neither indexed nor in
// the backlog, for an output whose archiving may run behind.
func (s *Service) NotQueued(ids []string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.missing(ids)
}

// missing is Missing with s.mu held.
func (s *Service) missing(ids []string) ([]string, error) {
	has, err := s.has(ids)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range ids {
		if !has[id] && !s.back.ids[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// Archive stores pieces not archived yet in one new segment, named after
// hint, and returns once the segment and its ledger line are durable.
func (s *Service) Archive(ctx context.Context, hint string, pieces []Piece) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.archive(ctx, hint, pieces)
	s.noteProblem(err)
	return err
}

// archive is Archive with s.mu held.
func (s *Service) archive(ctx context.Context, hint string, pieces []Piece) error {
	if err := s.ensureReady(ctx); err != nil {
		return err
	}
	pieces, err := s.notArchived(pieces)
	if err != nil || len(pieces) == 0 {
		return err
	}
	name := s.segmentName(hint)
	return s.commit(ctx, name, buildSegment(name, pieces))
}

// commit stores a built segment: back end, ledger, index. s.mu is held.
func (s *Service) commit(ctx context.Context, name string, b built) error {
	seg := b.seg
	if err := s.store.Put(ctx, name, seg); err != nil {
		return fmt.Errorf("%w: %s at %s: %w", ErrStore, name, s.store, err)
	}
	failpoint.Hit("archive-stored")
	return s.enter(name, b)
}

// enter enters a stored segment into the ledger and the index. s.mu is
// held.
func (s *Service) enter(name string, b built) error {
	recs := b.recs
	e, err := s.ledger.append(Entry{Op: opAdd, Segment: name, SHA256: b.sha256, Size: int64(len(b.seg)), Pieces: len(recs), Time: s.now()})
	if err != nil {
		return err
	}
	failpoint.Hit("archive-ledgered")
	s.indexSegment(name, recs, e.N)
	s.log.Debug().Str("segment", name).Int("pieces", len(recs)).Int("bytes", len(b.seg)).Msg("archived")
	return nil
}

// segmentName is a new, unique, time-ordered segment name.
func (s *Service) segmentName(hint string) string {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, hint)
	return fmt.Sprintf("%s-%06d-%s", s.now().UTC().Format("20060102T150405.000000000Z"), len(s.ledger.entries)+1, clean)
}
