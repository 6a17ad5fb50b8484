package spool

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// CreateJob stores j as a new job and returns it as stored. It assigns the ID
// (1, 2, ...), Created and Updated (UTC), State Pending if empty, a non-nil
// StateReasons, and records a "state" event in the same transaction.
func (s *Store) CreateJob(j Job) (Job, error) {
	if j.State == "" {
		j.State = Pending
	}
	if !j.State.Valid() {
		return Job{}, fmt.Errorf("new job state %q: %w", j.State, ErrInvalid)
	}
	j.StateReasons = normReasons(slices.Clone(j.StateReasons))
	err := s.batch(func(tx *bbolt.Tx) error {
		jobs, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		seq, err := jobs.NextSequence()
		if err != nil {
			return fmt.Errorf("job sequence: %w", err)
		}
		j.ID = int64(seq)
		j.Created = time.Now().UTC()
		j.Updated = j.Created
		if err := putJob(jobs, j); err != nil {
			return err
		}
		if err := reindex(tx, nil, j); err != nil {
			return err
		}
		_, err = addEvent(tx, stateEvent(j))
		return err
	})
	if err != nil {
		return Job{}, fmt.Errorf("create job: %w", err)
	}
	return j, nil
}

// Job returns job id, or an error wrapping ErrNotFound.
func (s *Store) Job(id int64) (Job, error) {
	var j Job
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		j, err = getJob(tx, id)
		return err
	})
	return j, err
}

// Jobs returns the jobs in any of states, by ascending ID, through the
// state index. Without states it reads every job of the spool's history:
// for tests and tools, never for a scheduling step (see JobsInState,
// ActiveJobs, Queue and JobPage).
func (s *Store) Jobs(states ...State) ([]Job, error) {
	if len(states) > 0 {
		return s.JobsInState(states...)
	}
	list := []Job{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		jobs, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		return jobs.ForEach(func(k, v []byte) error {
			var j Job
			if err := decode("job", k, v, &j); err != nil {
				return err
			}
			list = append(list, j)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return list, nil
}

// UpdateJob reads job id, calls fn on it and stores the result, all in one
// transaction, setting Updated. fn cannot change ID or Created. If State or
// StateReasons changed, a "state" event carrying the job's Message is
// appended in the same transaction. An error from fn stores nothing and is
// returned unchanged. fn runs inside the transaction: it must be quick and
// must not call the Store.
func (s *Store) UpdateJob(id int64, fn func(*Job) error) (Job, error) {
	if fn == nil {
		return Job{}, fmt.Errorf("job %d: nil update function: %w", id, ErrInvalid)
	}
	var j Job
	err := s.batch(func(tx *bbolt.Tx) error {
		var err error
		j, err = updateJobTx(tx, id, fn, nil)
		return err
	})
	if err != nil {
		return Job{}, err
	}
	return j, nil
}

// updateJobTx is UpdateJob inside tx. Once fn accepted the change, also
// (if set) writes more of the job's records before the job itself; fn's
// refusal, or a state it set that is not valid, stores nothing.
func updateJobTx(tx *bbolt.Tx, id int64, fn func(*Job) error, also func() error) (Job, error) {
	old, err := getJob(tx, id)
	if err != nil {
		return Job{}, refuse(err)
	}
	j := old
	j.StateReasons = slices.Clone(old.StateReasons)
	oldIndex := indexOf(old)
	if err := fn(&j); err != nil {
		return Job{}, refuse(err)
	}
	if !j.State.Valid() {
		return Job{}, refuse(fmt.Errorf("job %d: state %q: %w", id, j.State, ErrInvalid))
	}
	if also != nil {
		if err := also(); err != nil {
			return Job{}, err
		}
	}
	return j, storeUpdate(tx, old, oldIndex, &j)
}

// storeUpdate stores j, the result of an update of old, with its event and
// index entries; oldIndex are old's, listed before the update could change
// what old shares with j.
func storeUpdate(tx *bbolt.Tx, old Job, oldIndex []indexKey, j *Job) error {
	j.ID, j.Created = old.ID, old.Created
	if !j.State.Valid() {
		return refuse(fmt.Errorf("job %d: state %q: %w", j.ID, j.State, ErrInvalid))
	}
	j.StateReasons = normReasons(j.StateReasons)
	j.Updated = time.Now().UTC()
	jobs, err := bucket(tx, bucketJobs)
	if err != nil {
		return err
	}
	if err := putJob(jobs, *j); err != nil {
		return err
	}
	if err := reindex(tx, oldIndex, *j); err != nil {
		return err
	}
	if j.State == old.State && slices.Equal(j.StateReasons, old.StateReasons) {
		return nil
	}
	_, err = addEvent(tx, stateEvent(*j))
	return err
}

// getJob reads job id from tx.
func getJob(tx *bbolt.Tx, id int64) (Job, error) {
	jobs, err := bucket(tx, bucketJobs)
	if err != nil {
		return Job{}, err
	}
	return getJobIn(jobs, id)
}

// getJobIn reads job id from the jobs bucket.
func getJobIn(jobs *bbolt.Bucket, id int64) (Job, error) {
	k, ok := idKey(id)
	if !ok {
		return Job{}, fmt.Errorf("job %d: %w", id, ErrNotFound)
	}
	v := jobs.Get(k)
	if v == nil {
		return Job{}, fmt.Errorf("job %d: %w", id, ErrNotFound)
	}
	var j Job
	if err := decode("job", k, v, &j); err != nil {
		return Job{}, err
	}
	return j, nil
}

// putJob writes j under its ID and counts a change of its run.
func putJob(jobs *bbolt.Bucket, j Job) error {
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("job %d: %w", j.ID, err)
	}
	if err := jobs.Put(u64key(uint64(j.ID)), data); err != nil {
		return fmt.Errorf("job %d: %w", j.ID, err)
	}
	return touchJobRun(jobs.Tx(), j)
}

// stateEvent is the "state" event recording j's current state.
func stateEvent(j Job) Event {
	return Event{
		Time:    j.Updated,
		Job:     j.ID,
		Type:    "state",
		State:   j.State,
		Reasons: slices.Clone(j.StateReasons),
		Message: j.Message,
	}
}

// normReasons makes a nil reason list empty, so it encodes as [].
func normReasons(r []string) []string {
	if r == nil {
		return []string{}
	}
	return r
}
