package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/internal/failpoint"
)

// ErrBacklogFull is returned by Queue when a workflow's backlog holds as
// many pieces as it may: the output waits until the archive catches up.
var ErrBacklogFull = errors.New("archive: the archive backlog is full")

// The backlog serves workflows whose archiving may run behind sending
// (the workflow's archive.backlog). Queue builds the segment as Archive
// does and writes it, synced, to Dir/backlog/NAME.seg; from then on the
// pieces count as archived (Missing skips them), and the output may go.
// Drain stores the backlog's segments, oldest first, as Archive would:
// back end, ledger, index; only then is the backlog file removed. A crash
// at any point loses nothing (the file stays until the ledger names its
// segment) and doubles nothing (a segment the ledger names is not stored
// again; pieces indexed meanwhile are left out of it).

// queued is one segment in the backlog.
type queued struct {
	name     string
	workflow string
	ids      []string
	size     int64
	at       time.Time // when it was queued
}

// backlog is the segments waiting to be stored, oldest first.
type backlog struct {
	dir  string
	segs []queued
	ids  map[string]bool
	wake chan struct{}
}

// loadBacklog reads the backlog directory; a file that is not a complete
// segment (never acknowledged: files are renamed into place once synced)
// is left aside with an error in the log by the caller.
func loadBacklog(dir string) (*backlog, []error) {
	b := &backlog{dir: dir, ids: map[string]bool{}, wake: make(chan struct{}, 1)}
	removeTemps(dir)
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return b, []error{err}
	}
	var errs []error
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), segExt)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		seg, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs, err := readTable(seg)
		if err != nil {
			errs = append(errs, fmt.Errorf("backlog segment %s: %w", name, err))
			continue
		}
		at := time.Now()
		if info, err := e.Info(); err == nil {
			at = info.ModTime()
		}
		b.add(name, recs, int64(len(seg)), at)
	}
	slices.SortFunc(b.segs, func(x, y queued) int { return strings.Compare(x.name, y.name) })
	return b, errs
}

func (b *backlog) file(name string) string { return filepath.Join(b.dir, name+segExt) }

func (b *backlog) add(name string, recs []Record, size int64, at time.Time) {
	q := queued{name: name, size: size, at: at}
	for _, r := range recs {
		q.ids = append(q.ids, r.ID)
		q.workflow = r.Workflow
		b.ids[r.ID] = true
	}
	b.segs = append(b.segs, q)
}

// drop forgets the segment name once it is stored.
func (b *backlog) drop(name string) error {
	k := slices.IndexFunc(b.segs, func(q queued) bool { return q.name == name })
	if k < 0 {
		return nil
	}
	if err := os.Remove(b.file(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := atomicfile.SyncDir(b.dir); err != nil {
		return err
	}
	for _, id := range b.segs[k].ids {
		delete(b.ids, id)
	}
	b.segs = slices.Delete(b.segs, k, k+1)
	return nil
}

// pieces counts the pieces waiting, of workflow wf or ("") of all.
func (b *backlog) pieces(wf string) int {
	n := 0
	for _, q := range b.segs {
		if wf == "" || q.workflow == wf {
			n += len(q.ids)
		}
	}
	return n
}

// Queue stores the pieces not archived yet in a new segment in the
// backlog, synced, and returns; Drain stores it. It returns an error
// wrapping ErrBacklogFull, storing nothing, when the pieces of their
// workflow waiting would be more than bound (an output larger than the
// bound goes alone, once the backlog of its workflow is empty).
func (s *Service) Queue(ctx context.Context, hint string, pieces []Piece, bound int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	pieces, err := s.notArchived(pieces)
	if err != nil || len(pieces) == 0 {
		return err
	}
	wf := pieces[0].Record.Workflow
	if n := s.back.pieces(wf); n > 0 && n+len(pieces) > bound {
		return fmt.Errorf("%w: %d pieces of workflow %q wait to be archived, %d more would pass its archive.backlog of %d; the output is sent once the archive store catches up",
			ErrBacklogFull, n, wf, len(pieces), bound)
	}
	name := s.segmentName(hint)
	b := buildSegment(name, pieces)
	if err := os.MkdirAll(s.back.dir, 0o755); err != nil {
		return err
	}
	if _, err := atomicfile.WriteFile(s.back.file(name), bytes.NewReader(b.seg), 0o444); err != nil {
		return fmt.Errorf("writing the archive backlog: %w", err)
	}
	failpoint.Hit("archive-queued")
	s.back.add(name, b.recs, int64(len(b.seg)), s.now())
	select {
	case s.back.wake <- struct{}{}:
	default:
	}
	return nil
}

// Drain stores the backlog's segments until ctx ends, trying again after
// retry when the store does not take one.
func (s *Service) Drain(ctx context.Context, retry time.Duration) error {
	for {
		wait := time.Duration(0)
		if more, err := s.drainOne(ctx); ctx.Err() != nil {
			return ctx.Err()
		} else if err != nil {
			s.log.Error().Err(err).Dur("retry_in", retry).Msg("storing the archive backlog; it is tried again")
			wait = retry
		} else if !more {
			wait = time.Hour
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-s.back.wake:
			case <-t.C:
			}
			t.Stop()
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// drainOne stores the oldest segment of the backlog; more reports whether
// another waits. The upload runs without s.mu, so that outputs queue
// meanwhile however slow the store is.
func (s *Service) drainOne(ctx context.Context) (more bool, err error) {
	s.mu.Lock()
	if len(s.back.segs) == 0 {
		s.mu.Unlock()
		return false, nil
	}
	q := s.back.segs[0]
	rctx, cancel := context.WithTimeout(ctx, storeWait)
	b, err := s.prepareQueued(rctx, q)
	cancel()
	s.mu.Unlock()
	if err == nil && b != nil {
		err = s.store.Put(ctx, q.name, b.seg)
		if err != nil {
			err = fmt.Errorf("%w: %s at %s: %w", ErrStore, q.name, s.store, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.noteProblem(err) }()
	if err != nil {
		return true, err
	}
	if b != nil && !s.ledger.names(q.name) { // recovery may have adopted it meanwhile
		failpoint.Hit("archive-stored")
		if err := s.enter(q.name, *b); err != nil {
			return true, err
		}
	}
	if err := s.back.drop(q.name); err != nil {
		return true, err
	}
	return len(s.back.segs) > 0, nil
}

// prepareQueued readies a backlog segment for the store: nil when the
// ledger names it already, else the segment without the pieces indexed
// since it was queued. s.mu is held.
func (s *Service) prepareQueued(ctx context.Context, q queued) (*built, error) {
	if err := s.ensureReady(ctx); err != nil {
		return nil, err
	}
	if s.ledger.names(q.name) {
		return nil, nil
	}
	seg, err := os.ReadFile(s.back.file(q.name))
	if err != nil {
		return nil, err
	}
	recs, err := readTable(seg)
	if err != nil {
		return nil, fmt.Errorf("backlog segment %s: %w", q.name, err)
	}
	has, err := s.has(q.ids)
	if err != nil || len(has) == 0 {
		return &built{seg: seg, sha256: digest(seg), recs: recs}, err
	}
	var pieces []Piece
	for _, r := range recs {
		if has[r.ID] {
			continue
		}
		data, err := openFrame(r, seg[r.Offset:r.Offset+r.Length])
		if err != nil {
			return nil, err
		}
		pieces = append(pieces, Piece{Record: r, Data: data})
	}
	if len(pieces) == 0 {
		return nil, nil
	}
	b := buildSegment(q.name, pieces)
	return &b, nil
}

// notArchived returns those of pieces neither indexed nor in the backlog.
func (s *Service) notArchived(pieces []Piece) ([]Piece, error) {
	ids := make([]string, len(pieces))
	for i, p := range pieces {
		ids[i] = p.Record.ID
	}
	has, err := s.has(ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(pieces), func(p Piece) bool { return has[p.Record.ID] || s.back.ids[p.Record.ID] }), nil
}
