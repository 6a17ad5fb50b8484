package spool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/omsd/omsd/atomicfile"
)

// ErrActive means a job's data cannot be removed: the job is not finished,
// or its run's closed loop is not closed.
var ErrActive = errors.New("spool: job is not finished")

// CompactJob removes a finished job's print data (its job directory), its
// pieces, piece sends and events, and strips its record to what a listing
// shows: ID, name, workflow, printer, state, times, counts and the loop. It
// sets Compacted to at. A job that is not finished, or whose run (the job,
// or for a reprint the job it reprints) has a closed loop that is not yet
// closed, is refused with ErrActive. Piece histories (tracks) are kept:
// they have their own retention.
//
// The directory is removed inside the transaction that compacts the
// record, so nothing can restart the job in between; if the commit fails
// the record is kept and a later call removes what is left.
func (s *Store) CompactJob(id int64, at time.Time) (Job, error) {
	var j Job
	err := s.db.Update(func(tx *bbolt.Tx) error {
		old, err := getJob(tx, id)
		if err != nil {
			return err
		}
		if err := compactable(tx, old); err != nil {
			return err
		}
		if err := os.RemoveAll(s.JobDir(id)); err != nil {
			return fmt.Errorf("job %d print data: %w", id, err)
		}
		if err := atomicfile.SyncDir(filepath.Join(s.dir, jobsDir)); err != nil {
			return fmt.Errorf("job %d print data: %w", id, err)
		}
		if err := deleteJobRecords(tx, id); err != nil {
			return err
		}
		j = compacted(old, at)
		jobs, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		if err := putJob(jobs, j); err != nil {
			return err
		}
		return reindex(tx, indexOf(old), j)
	})
	if err != nil {
		return Job{}, fmt.Errorf("compact job %d: %w", id, err)
	}
	return j, nil
}

// compactable refuses a job whose data must stay.
func compactable(tx *bbolt.Tx, j Job) error {
	if !j.State.Terminal() {
		return fmt.Errorf("job %d is %s: %w", j.ID, j.State, ErrActive)
	}
	run := j
	if j.ReprintOf != 0 {
		root, err := getJob(tx, j.ReprintOf)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err == nil {
			run = root
		}
	}
	if run.Loop != nil && run.Loop.State != LoopClosed {
		return fmt.Errorf("job %d: the closed loop of job %d is %s: %w", j.ID, run.ID, run.Loop.State, ErrActive)
	}
	if deliveriesOpen(tx, j.ID) {
		return fmt.Errorf("job %d: its digital deliveries are not done: %w", j.ID, ErrActive)
	}
	return nil
}

// compacted is the small record kept of j.
func compacted(j Job, at time.Time) Job {
	j.Input, j.Sidecar, j.Outputs, j.Warnings, j.Intake = "", "", nil, nil, nil
	j.Compacted = at.UTC()
	return j
}

// deleteJobRecords removes job id's pieces, sends and events.
func deleteJobRecords(tx *bbolt.Tx, id int64) error {
	key := u64key(uint64(id))
	for _, name := range [][]byte{bucketPieces, bucketSends} {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		if err := b.DeleteBucket(key); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return fmt.Errorf("job %d %s: %w", id, name, err)
		}
	}
	return deleteJobEvents(tx, id)
}

// deleteJobEvents removes job id's events and their index.
func deleteJobEvents(tx *bbolt.Tx, id int64) error {
	index, err := jobEventIndex(tx, id)
	if err != nil || index == nil {
		return err
	}
	events, err := bucket(tx, bucketEvents)
	if err != nil {
		return err
	}
	err = index.ForEach(func(k, _ []byte) error { return events.Delete(k) })
	if err != nil {
		return fmt.Errorf("job %d events: %w", id, err)
	}
	idx, err := bucket(tx, bucketJobEvents)
	if err != nil {
		return err
	}
	return idx.DeleteBucket(u64key(uint64(id)))
}
