package spool

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// Run summaries: a run's close-out figures kept by the reports, so that a
// report over a long history reads one record a run instead of working
// each run's close-out out again. Every write that can change what a
// run's close-out reads (any of its jobs' records, its pieces, sends and
// histories, a compaction) counts the run's changes up in the same
// transaction; a summary is valid only at the count it was made at.
//
//	runchanges/  <first job id uint64 BE> -> changes uint64 BE (created on first write)
//	summaries/   <first job id uint64 BE> -> changes uint64 BE + the summary's bytes
var (
	bucketRunChanges = []byte("runchanges")
	bucketSummaries  = []byte("summaries")
)

// RunSummary is what a reader made of the run whose first job is Root
// when the run's change count was Changes (see RunChanges). The store
// keeps Data as it is.
type RunSummary struct {
	Root    int64
	Changes uint64
	Data    []byte
}

// RunChanges returns the change counts of the runs whose first jobs are
// roots, in one transaction: read them before working a run's figures
// out, and store the summary with them.
func (s *Store) RunChanges(roots []int64) (map[int64]uint64, error) {
	out := make(map[int64]uint64, len(roots))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := rootBucket(tx, bucketRunChanges)
		for _, r := range roots {
			out[r] = changesOf(b, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("run changes: %w", err)
	}
	return out, nil
}

// RunSummaries returns the stored summaries of the runs whose first jobs
// are roots that are still valid (the run has not changed since), in one
// transaction; the others are absent.
func (s *Store) RunSummaries(roots []int64) (map[int64][]byte, error) {
	out := make(map[int64][]byte, len(roots))
	err := s.db.View(func(tx *bbolt.Tx) error {
		sums := rootBucket(tx, bucketSummaries)
		if sums == nil {
			return nil
		}
		changes := rootBucket(tx, bucketRunChanges)
		for _, r := range roots {
			k, ok := idKey(r)
			if !ok {
				continue
			}
			v := sums.Get(k)
			if len(v) < 8 || binary.BigEndian.Uint64(v) != changesOf(changes, r) {
				continue
			}
			out[r] = append([]byte(nil), v[8:]...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("run summaries: %w", err)
	}
	return out, nil
}

// PutRunSummaries stores the summaries in one transaction, each with the
// change count it was made at.
func (s *Store) PutRunSummaries(list []RunSummary) error {
	if len(list) == 0 {
		return nil
	}
	// In key order: bbolt inserts into a page's node by copying what
	// follows, so many keys out of order cost time quadratic in their number.
	list = slices.Clone(list)
	slices.SortFunc(list, func(a, b RunSummary) int { return cmp.Compare(a.Root, b.Root) })
	err := s.db.Update(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		if root == nil {
			return fmt.Errorf("bucket %s missing: %w", bucketRoot, ErrCorrupt)
		}
		b, err := root.CreateBucketIfNotExists(bucketSummaries)
		if err != nil {
			return err
		}
		for _, sum := range list {
			k, ok := idKey(sum.Root)
			if !ok {
				return fmt.Errorf("summary of job %d: %w", sum.Root, ErrInvalid)
			}
			v := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(sum.Data)), sum.Changes)
			if err := b.Put(k, append(v, sum.Data...)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("run summaries: %w", err)
	}
	return nil
}

// touchRun counts a change of the run whose first job is root.
func touchRun(tx *bbolt.Tx, root int64) error {
	k, ok := idKey(root)
	if !ok {
		return nil
	}
	b := tx.Bucket(bucketRoot)
	if b == nil {
		return fmt.Errorf("bucket %s missing: %w", bucketRoot, ErrCorrupt)
	}
	b, err := b.CreateBucketIfNotExists(bucketRunChanges)
	if err != nil {
		return fmt.Errorf("run changes: %w", err)
	}
	return b.Put(k, u64key(changesOf(b, root)+1))
}

// touchJobRun counts a change of the run job j belongs to.
func touchJobRun(tx *bbolt.Tx, j Job) error {
	if j.ReprintOf != 0 {
		return touchRun(tx, j.ReprintOf)
	}
	return touchRun(tx, j.ID)
}

// changesOf is the change count of run root in b (nil: none yet).
func changesOf(b *bbolt.Bucket, root int64) uint64 {
	if b == nil {
		return 0
	}
	k, ok := idKey(root)
	if !ok {
		return 0
	}
	n, _ := keyU64(b.Get(k))
	return n
}

// rootBucket is the bucket name under bucketRoot, nil if it was never
// created.
func rootBucket(tx *bbolt.Tx, name []byte) *bbolt.Bucket {
	root := tx.Bucket(bucketRoot)
	if root == nil {
		return nil
	}
	return root.Bucket(name)
}
