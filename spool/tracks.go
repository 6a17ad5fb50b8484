package spool

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Piece event kinds of a piece's history.
const (
	TrackReceived   = "received"
	TrackPlanned    = "planned"
	TrackPrinted    = "printed"
	TrackInserted   = "inserted"
	TrackDiverted   = "diverted"
	TrackHandMailed = "hand-mailed"
	TrackDamaged    = "damaged"
	TrackUnread     = "unread"
	TrackReprinted  = "reprinted"
	TrackClosed     = "closed"
	// TrackAlarm is an integrity alarm raised about the piece (inserted
	// twice), TrackAcknowledged an operator's acknowledgement of it
	// (Operator: who, Detail: the reason).
	TrackAlarm        = "alarm"
	TrackAcknowledged = "acknowledged"
)

// PieceEvent is one step of a mail piece's history. Histories are kept
// under the first job of a run; Job names the job (a reprint job) the
// step concerns.
type PieceEvent struct {
	Time       time.Time `json:"time"`
	Kind       string    `json:"kind"`
	Job        int64     `json:"job,omitempty"`
	Generation int       `json:"generation,omitempty"`
	Line       string    `json:"line,omitempty"`     // the inserting line
	Device     string    `json:"device,omitempty"`   // the printer
	Operator   string    `json:"operator,omitempty"` // as the line reported it
	Detail     string    `json:"detail,omitempty"`
	File       string    `json:"file,omitempty"`      // the result file it came from
	FileLine   int       `json:"file_line,omitempty"` // and its line there
}

// TrackEntry is one event for piece Seq of the run whose first job is Root.
type TrackEntry struct {
	Root  int64
	Seq   int
	Event PieceEvent
}

// AddTrackEvents appends the entries to the pieces' histories in one
// transaction.
func (s *Store) AddTrackEvents(entries []TrackEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := checkTrackEntries(entries); err != nil {
		return err
	}
	err := s.batch(func(tx *bbolt.Tx) error { return putTrackEntries(tx, entries) })
	if err != nil {
		return fmt.Errorf("piece histories: %w", err)
	}
	return nil
}

func putTrackEntries(tx *bbolt.Tx, entries []TrackEntry) error {
	all, err := bucket(tx, bucketTracks)
	if err != nil {
		return err
	}
	touched := map[int64]bool{}
	for _, e := range entries {
		rk, ok := idKey(e.Root)
		if !ok || e.Seq <= 0 {
			return fmt.Errorf("piece %d of job %d: %w", e.Seq, e.Root, ErrInvalid)
		}
		if !touched[e.Root] {
			touched[e.Root] = true
			if err := touchRun(tx, e.Root); err != nil {
				return err
			}
		}
		jb, err := all.CreateBucketIfNotExists(rk)
		if err != nil {
			return err
		}
		pb, err := jb.CreateBucketIfNotExists(u64key(uint64(e.Seq)))
		if err != nil {
			return err
		}
		n, err := pb.NextSequence()
		if err != nil {
			return err
		}
		ev := e.Event
		ev.Time = ev.Time.UTC()
		data, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		if err := pb.Put(u64key(n), data); err != nil {
			return err
		}
	}
	return nil
}

// Tracks returns the histories of the pieces of the run whose first job is
// root, by piece seq; pieces without events are absent.
func (s *Store) Tracks(root int64) (map[int][]PieceEvent, error) {
	out := map[int][]PieceEvent{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		jb, err := trackBucket(tx, root)
		if err != nil || jb == nil {
			return err
		}
		return jb.ForEachBucket(func(k []byte) error {
			seq, ok := keyU64(k)
			if !ok {
				return fmt.Errorf("track key of %d bytes: %w", len(k), ErrCorrupt)
			}
			evs, err := readTrack(jb.Bucket(k))
			out[int(seq)] = evs
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("job %d piece histories: %w", root, err)
	}
	return out, nil
}

// Track returns the history of one piece; empty if it has none.
func (s *Store) Track(root int64, seq int) ([]PieceEvent, error) {
	var evs []PieceEvent
	err := s.db.View(func(tx *bbolt.Tx) error {
		jb, err := trackBucket(tx, root)
		if err != nil || jb == nil || seq <= 0 {
			return err
		}
		if pb := jb.Bucket(u64key(uint64(seq))); pb != nil {
			evs, err = readTrack(pb)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("job %d piece %d history: %w", root, seq, err)
	}
	return evs, nil
}

// DeleteTracks removes the histories of the run whose first job is root.
func (s *Store) DeleteTracks(root int64) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		all, err := bucket(tx, bucketTracks)
		if err != nil {
			return err
		}
		k, ok := idKey(root)
		if !ok {
			return nil
		}
		if err := all.DeleteBucket(k); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return err
		}
		if err := touchRun(tx, root); err != nil {
			return err
		}
		return markTracksRemoved(tx, root)
	})
	if err != nil {
		return fmt.Errorf("job %d piece histories: %w", root, err)
	}
	return nil
}

func trackBucket(tx *bbolt.Tx, root int64) (*bbolt.Bucket, error) {
	all, err := bucket(tx, bucketTracks)
	if err != nil {
		return nil, err
	}
	k, ok := idKey(root)
	if !ok {
		return nil, nil
	}
	return all.Bucket(k), nil
}

func readTrack(b *bbolt.Bucket) ([]PieceEvent, error) {
	var evs []PieceEvent
	err := b.ForEach(func(k, v []byte) error {
		var e PieceEvent
		if err := decode("piece event", k, v, &e); err != nil {
			return err
		}
		evs = append(evs, e)
		return nil
	})
	return evs, err
}

// markTracksRemoved records on job root, if it exists, that its piece
// histories are gone, so that TracksDue no longer offers it.
func markTracksRemoved(tx *bbolt.Tx, root int64) error {
	old, err := getJob(tx, root)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, settled := tracksSettled(old); !settled {
		return nil
	}
	j := old
	j.TracksRemoved = true
	jobs, err := bucket(tx, bucketJobs)
	if err != nil {
		return err
	}
	if err := putJob(jobs, j); err != nil {
		return err
	}
	return reindex(tx, indexOf(old), j)
}

// TracksDue lists the first jobs of runs that settled (finished, loop
// closed) before t and still have piece histories, oldest first. It reads
// no job.
func (s *Store) TracksDue(t time.Time) ([]int64, error) {
	var ids []int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketTrackDue)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) != 16 {
				return fmt.Errorf("trackdue entry %x: %w", k, ErrCorrupt)
			}
			if int64(binary.BigEndian.Uint64(k)) >= t.UnixNano() {
				break
			}
			ids = append(ids, int64(binary.BigEndian.Uint64(k[8:])))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("piece histories due: %w", err)
	}
	return ids, nil
}

// checkTrackEntries refuses entries that name no piece.
func checkTrackEntries(entries []TrackEntry) error {
	for _, e := range entries {
		if e.Root <= 0 || e.Seq <= 0 {
			return fmt.Errorf("piece histories: piece %d of job %d: %w", e.Seq, e.Root, ErrInvalid)
		}
	}
	return nil
}
