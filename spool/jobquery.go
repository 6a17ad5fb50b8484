package spool

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// ActiveStates are the states of jobs that are not finished.
var ActiveStates = []State{Pending, Held, Processing, Stopped}

// FinishedStates are the states of jobs that are finished for good.
var FinishedStates = []State{Canceled, Aborted, Completed}

// JobsInState returns the jobs in any of states, by ascending ID. It reads
// only those jobs, through the state index.
func (s *Store) JobsInState(states ...State) ([]Job, error) {
	var list []Job
	err := s.db.View(func(tx *bbolt.Tx) error {
		idx, err := bucket(tx, bucketStates)
		if err != nil {
			return err
		}
		var ids []int64
		for _, st := range slices.Compact(slices.Sorted(slices.Values(states))) {
			ids = append(ids, idsIn(idx.Bucket([]byte(st)))...)
		}
		slices.Sort(ids)
		list, err = jobsByID(tx, ids)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return list, nil
}

// ActiveJobs returns the jobs that are not finished, by ascending ID.
func (s *Store) ActiveJobs() ([]Job, error) { return s.JobsInState(ActiveStates...) }

// CountJobs counts the jobs in each state, without reading them.
func (s *Store) CountJobs() (map[State]int, error) {
	n := map[State]int{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		idx, err := bucket(tx, bucketStates)
		if err != nil {
			return err
		}
		for _, st := range States {
			if b := idx.Bucket([]byte(st)); b != nil {
				if c := b.Stats().KeyN; c > 0 {
					n[st] = c
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	return n, nil
}

// Queue returns the unsent outputs of pending and processing jobs queued
// on printer, in dispatch order: highest priority first, then oldest job,
// then each job's outputs in order. It reads no job record.
func (s *Store) Queue(printer string) ([]QueueEntry, error) {
	var list []QueueEntry
	err := s.db.View(func(tx *bbolt.Tx) error {
		idx, err := bucket(tx, bucketQueues)
		if err != nil {
			return err
		}
		b := idx.Bucket([]byte(printer))
		if b == nil || printer == "" {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			e, ok := parseQueueEntry(k, v)
			if !ok {
				return fmt.Errorf("queue %s entry %x: %w", printer, k, ErrCorrupt)
			}
			list = append(list, e)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("queue %s: %w", printer, err)
	}
	return list, nil
}

// QueuedPrinters lists the printers that have outputs queued.
func (s *Store) QueuedPrinters() ([]string, error) {
	var names []string
	err := s.db.View(func(tx *bbolt.Tx) error {
		idx, err := bucket(tx, bucketQueues)
		if err != nil {
			return err
		}
		return idx.ForEachBucket(func(k []byte) error {
			if first, _ := idx.Bucket(k).Cursor().First(); first != nil {
				names = append(names, string(k))
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("queues: %w", err)
	}
	return names, nil
}

// Unrouted returns the pending and processing jobs with an unsent output
// that is queued on no printer, by ascending ID.
func (s *Store) Unrouted() ([]Job, error) { return s.indexedJobs(bucketUnrouted) }

// OpenLoops returns the jobs whose closed loop is not closed yet.
func (s *Store) OpenLoops() ([]Job, error) { return s.indexedJobs(bucketOpenLoops) }

// indexedJobs reads the jobs keyed in the index bucket name.
func (s *Store) indexedJobs(name []byte) ([]Job, error) {
	var list []Job
	err := s.db.View(func(tx *bbolt.Tx) error {
		idx, err := bucket(tx, name)
		if err != nil {
			return err
		}
		list, err = jobsByID(tx, idsIn(idx))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jobs in %s: %w", name, err)
	}
	return list, nil
}

// FinishedBefore returns the finished jobs not yet compacted that last
// changed before t, by ascending ID. It reads no other job.
func (s *Store) FinishedBefore(t time.Time) ([]Job, error) {
	var list []Job
	err := s.db.View(func(tx *bbolt.Tx) error {
		ids, err := retainedBefore(tx, t)
		if err != nil {
			return err
		}
		list, err = jobsByID(tx, ids)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("finished jobs: %w", err)
	}
	return list, nil
}

// JobPage returns the newest jobs with an ID below before (any ID if
// before <= 0) in any of states (any state if none are given), at most
// limit of them (no limit if limit <= 0), by ascending ID. A page of limit
// jobs may have older ones: ask again with before set to its first ID.
func (s *Store) JobPage(before int64, limit int, states ...State) ([]Job, error) {
	var list []Job
	err := s.db.View(func(tx *bbolt.Tx) error {
		var ids []int64
		if len(states) == 0 {
			jobs, err := bucket(tx, bucketJobs)
			if err != nil {
				return err
			}
			ids = newestIDs(jobs.Cursor(), before, limit)
		} else {
			idx, err := bucket(tx, bucketStates)
			if err != nil {
				return err
			}
			for _, st := range slices.Compact(slices.Sorted(slices.Values(states))) {
				if b := idx.Bucket([]byte(st)); b != nil {
					ids = append(ids, newestIDs(b.Cursor(), before, limit)...)
				}
			}
			slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
			if limit > 0 && len(ids) > limit {
				ids = ids[:limit]
			}
		}
		slices.Reverse(ids)
		var err error
		list, err = jobsByID(tx, ids)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("job page: %w", err)
	}
	return list, nil
}

// newestIDs walks c, keyed by job ID, backwards from before and returns up
// to limit IDs, newest first.
func newestIDs(c *bbolt.Cursor, before int64, limit int) []int64 {
	var ids []int64
	var k []byte
	if before <= 0 {
		k, _ = c.Last()
	} else {
		k, _ = c.Seek(u64key(uint64(before)))
		if k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
	}
	for ; k != nil && (limit <= 0 || len(ids) < limit); k, _ = c.Prev() {
		if n, ok := keyU64(k); ok && (before <= 0 || int64(n) < before) {
			ids = append(ids, int64(n))
		}
	}
	return ids
}

// LastEventSeq is the Seq of the last event stored, 0 if there was none.
func (s *Store) LastEventSeq() (uint64, error) {
	var seq uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		events, err := bucket(tx, bucketEvents)
		if err != nil {
			return err
		}
		seq = events.Sequence()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("last event: %w", err)
	}
	return seq, nil
}
