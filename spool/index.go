package spool

import (
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// The job indexes (schema version 4) let the daemon find the jobs it has
// work for without reading the spool's history. Every write of a job
// record goes through reindex in the same transaction, so the indexes
// never disagree with the records they point to.
//
//	states/<state>/<id>            every job, by state
//	queues/<printer>/<queue key>   unsent outputs of pending and processing
//	                               jobs, queued on a printer -> sheets
//	unrouted/<id>                  pending and processing jobs with an unsent
//	                               output on no printer yet
//	openloops/<id>                 jobs whose closed loop is not closed
//	retain/<id>                    finished jobs not yet compacted -> Updated
//	trackdue/<time><id>            runs whose piece histories wait for their
//	                               retention, by the time the run settled

// QueueEntry is one unsent output queued on a printer.
type QueueEntry struct {
	Job      int64
	Output   int // index into the job's Outputs
	Priority int
	Sheets   int
}

// queueKey orders a printer's queue as the daemon dispatches it: highest
// priority first, then oldest job, then the job's outputs in order.
func queueKey(prio int, id int64, out int) []byte {
	k := make([]byte, 0, 20)
	k = binary.BigEndian.AppendUint64(k, ^(uint64(int64(prio)) ^ 1<<63))
	k = binary.BigEndian.AppendUint64(k, uint64(id))
	return binary.BigEndian.AppendUint32(k, uint32(out))
}

// parseQueueEntry decodes a queue key and its value.
func parseQueueEntry(k, v []byte) (QueueEntry, bool) {
	if len(k) != 20 || len(v) != 8 {
		return QueueEntry{}, false
	}
	return QueueEntry{
		Priority: int(int64(^binary.BigEndian.Uint64(k) ^ 1<<63)),
		Job:      int64(binary.BigEndian.Uint64(k[8:])),
		Output:   int(binary.BigEndian.Uint32(k[16:])),
		Sheets:   int(binary.BigEndian.Uint64(v)),
	}, true
}

// queued reports whether a job in state s has its unsent outputs in
// printer queues.
func queued(s State) bool { return s == Pending || s == Processing }

// indexKey is one index entry of a job: key (with val) in the index
// bucket top, or in its sub-bucket sub when sub is set.
type indexKey struct {
	top, sub, key, val []byte
}

// indexOf lists every index entry of j. It copies what it needs, so the
// entries stay right when j is changed afterwards.
func indexOf(j Job) []indexKey {
	id := u64key(uint64(j.ID))
	list := []indexKey{{bucketStates, []byte(j.State), id, []byte{}}}
	unrouted := false
	for i, o := range j.Outputs {
		if !queued(j.State) || o.Sent {
			continue
		}
		if o.Printer == "" {
			unrouted = true
			continue
		}
		sheets := u64key(uint64(max(o.Sheets, 0)))
		list = append(list, indexKey{bucketQueues, []byte(o.Printer), queueKey(j.Priority, j.ID, i), sheets})
	}
	if unrouted {
		list = append(list, indexKey{bucketUnrouted, nil, id, []byte{}})
	}
	if j.Loop != nil && j.Loop.State != LoopClosed {
		list = append(list, indexKey{bucketOpenLoops, nil, id, []byte{}})
	}
	if j.State.Terminal() && j.Compacted.IsZero() {
		list = append(list, indexKey{bucketRetain, nil, id, u64key(uint64(j.Updated.UnixNano()))})
	}
	if at, ok := tracksSettled(j); ok {
		key := append(u64key(uint64(max(at.UnixNano(), 0))), id...)
		list = append(list, indexKey{bucketTrackDue, nil, key, []byte{}})
	}
	return list
}

// tracksSettled says whether j is the first job of a run whose piece
// histories wait only for their retention, and since when: the run is
// finished, its loop (if any) closed, its histories not yet removed.
func tracksSettled(j Job) (time.Time, bool) {
	if j.ReprintOf != 0 || !j.State.Terminal() || j.TracksRemoved {
		return time.Time{}, false
	}
	if j.Loop == nil {
		return j.Updated, true
	}
	return j.Loop.Closed, j.Loop.State == LoopClosed
}

// reindex replaces the index entries old (of the job as it was stored;
// nil for a new job) by those of j.
func reindex(tx *bbolt.Tx, old []indexKey, j Job) error {
	for _, e := range old {
		if err := e.apply(tx, false); err != nil {
			return fmt.Errorf("job %d index: %w", j.ID, err)
		}
	}
	for _, e := range indexOf(j) {
		if err := e.apply(tx, true); err != nil {
			return fmt.Errorf("job %d index: %w", j.ID, err)
		}
	}
	return nil
}

// apply puts or deletes the entry.
func (e indexKey) apply(tx *bbolt.Tx, put bool) error {
	b, err := bucket(tx, e.top)
	if err != nil {
		return err
	}
	if e.sub != nil {
		if len(e.sub) == 0 {
			return fmt.Errorf("empty name in %s: %w", e.top, ErrInvalid)
		}
		if !put {
			if b = b.Bucket(e.sub); b == nil {
				return nil
			}
		} else if b, err = b.CreateBucketIfNotExists(e.sub); err != nil {
			return err
		}
	}
	if put {
		return b.Put(e.key, e.val)
	}
	return b.Delete(e.key)
}

// buildIndexes indexes every job of the database; the migration to schema
// version 4 runs it once.
func buildIndexes(tx *bbolt.Tx) error {
	if err := createBuckets(tx, indexBuckets); err != nil {
		return err
	}
	jobs, err := bucket(tx, bucketJobs)
	if err != nil {
		return err
	}
	return jobs.ForEach(func(k, v []byte) error {
		var j Job
		if err := decode("job", k, v, &j); err != nil {
			return err
		}
		return reindex(tx, nil, j)
	})
}

// idsIn lists the job IDs keyed in b.
func idsIn(b *bbolt.Bucket) []int64 {
	var ids []int64
	if b == nil {
		return ids
	}
	b.ForEach(func(k, _ []byte) error {
		if n, ok := keyU64(k); ok {
			ids = append(ids, int64(n))
		}
		return nil
	})
	return ids
}

// jobsByID reads the jobs ids from tx, in the order given.
func jobsByID(tx *bbolt.Tx, ids []int64) ([]Job, error) {
	jobs, err := bucket(tx, bucketJobs)
	if err != nil {
		return nil, err
	}
	list := make([]Job, 0, len(ids))
	for _, id := range ids {
		j, err := getJobIn(jobs, id)
		if err != nil {
			return nil, fmt.Errorf("indexed %w", err)
		}
		list = append(list, j)
	}
	return list, nil
}

// retainedBefore lists the finished, uncompacted jobs last changed before t.
func retainedBefore(tx *bbolt.Tx, t time.Time) ([]int64, error) {
	b, err := bucket(tx, bucketRetain)
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = b.ForEach(func(k, v []byte) error {
		id, ok := keyU64(k)
		at, ok2 := keyU64(v)
		if !ok || !ok2 {
			return fmt.Errorf("retain entry %x: %w", k, ErrCorrupt)
		}
		if int64(at) < t.UnixNano() {
			ids = append(ids, int64(id))
		}
		return nil
	})
	return ids, err
}
