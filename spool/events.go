package spool

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"go.etcd.io/bbolt"
)

// AddEvent appends e to the event log and returns it as stored. It assigns
// Seq (increasing across the whole spool; a Seq set by the caller is
// ignored) and Time (now, if zero; a caller's Time is kept, in UTC). An
// event for a job (Job != 0) requires the job to exist; Job 0 is an event
// about the spool as a whole.
func (s *Store) AddEvent(e Event) (Event, error) {
	err := s.batch(func(tx *bbolt.Tx) error {
		if e.Job != 0 {
			if _, err := getJob(tx, e.Job); err != nil {
				return refuse(err)
			}
		}
		var err error
		e, err = addEvent(tx, e)
		return err
	})
	if err != nil {
		return Event{}, fmt.Errorf("add event: %w", err)
	}
	return e, nil
}

// Events returns the events of all jobs with Seq > afterSeq, in order, at
// most limit of them (every one if limit <= 0).
func (s *Store) Events(afterSeq uint64, limit int) ([]Event, error) {
	list := []Event{}
	if afterSeq == math.MaxUint64 {
		return list, nil
	}
	err := s.db.View(func(tx *bbolt.Tx) error {
		events, err := bucket(tx, bucketEvents)
		if err != nil {
			return err
		}
		c := events.Cursor()
		for k, v := c.Seek(u64key(afterSeq + 1)); k != nil; k, v = c.Next() {
			if limit > 0 && len(list) >= limit {
				break
			}
			var e Event
			if err := decode("event", k, v, &e); err != nil {
				return err
			}
			list = append(list, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return list, nil
}

// JobEvents returns job id's events in order, or an error wrapping
// ErrNotFound if there is no such job.
func (s *Store) JobEvents(id int64) ([]Event, error) {
	list := []Event{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getJob(tx, id); err != nil {
			return err
		}
		events, err := bucket(tx, bucketEvents)
		if err != nil {
			return err
		}
		index, err := jobEventIndex(tx, id)
		if err != nil || index == nil {
			return err
		}
		return index.ForEach(func(k, _ []byte) error {
			v := events.Get(k)
			if v == nil {
				return fmt.Errorf("job %d: event %x indexed but missing: %w", id, k, ErrCorrupt)
			}
			var e Event
			if err := decode("event", k, v, &e); err != nil {
				return err
			}
			list = append(list, e)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("job events: %w", err)
	}
	return list, nil
}

// jobEventIndex returns job id's bucket in jobevents/, or nil if it has none.
func jobEventIndex(tx *bbolt.Tx, id int64) (*bbolt.Bucket, error) {
	idx, err := bucket(tx, bucketJobEvents)
	if err != nil {
		return nil, err
	}
	return idx.Bucket(u64key(uint64(id))), nil
}

// addEvent stores e with the next sequence number and indexes it under its
// job. The job's existence is the caller's concern.
func addEvent(tx *bbolt.Tx, e Event) (Event, error) {
	events, err := bucket(tx, bucketEvents)
	if err != nil {
		return Event{}, err
	}
	if e.Seq, err = events.NextSequence(); err != nil {
		return Event{}, fmt.Errorf("event sequence: %w", err)
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	if len(e.Reasons) == 0 {
		e.Reasons = nil // stored with omitempty; read back as nil
	}
	data, err := json.Marshal(e)
	if err != nil {
		return Event{}, fmt.Errorf("event: %w", err)
	}
	key := u64key(e.Seq)
	if err := events.Put(key, data); err != nil {
		return Event{}, fmt.Errorf("event %d: %w", e.Seq, err)
	}
	if e.Job == 0 {
		return e, nil
	}
	return e, indexEvent(tx, e.Job, key)
}

// indexEvent records the event at key in job id's index.
func indexEvent(tx *bbolt.Tx, id int64, key []byte) error {
	idx, err := bucket(tx, bucketJobEvents)
	if err != nil {
		return err
	}
	jb, err := idx.CreateBucketIfNotExists(u64key(uint64(id)))
	if err != nil {
		return fmt.Errorf("job %d event index: %w", id, err)
	}
	if err := jb.Put(key, []byte{}); err != nil {
		return fmt.Errorf("job %d event index: %w", id, err)
	}
	return nil
}
