package spool

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// ResultFile is how far a result file from an inserting line was applied.
// It is keyed by the digest of the file's bytes, so the same file is
// applied once however often it is offered.
type ResultFile struct {
	Digest  string    `json:"digest"` // hex SHA-256 of the file
	Name    string    `json:"name"`
	Line    string    `json:"line"`
	Total   int       `json:"total"`   // events the file holds for known pieces
	Applied int       `json:"applied"` // events applied, in file order
	Time    time.Time `json:"time"`    // of the last batch applied
}

// Done reports whether every event of the file was applied.
func (r ResultFile) Done() bool { return r.Applied >= r.Total }

// ErrApplied means a batch of a result file was applied already.
var ErrApplied = errors.New("spool: result batch already applied")

// ResultFileOf returns the progress of the result file with digest; ok is
// false for a file never seen.
func (s *Store) ResultFileOf(digest string) (rf ResultFile, ok bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketResults)
		if err != nil {
			return err
		}
		v := b.Get([]byte(digest))
		if v == nil {
			return nil
		}
		ok = true
		return decode("result file", []byte(digest), v, &rf)
	})
	return rf, ok, err
}

// ApplyResults appends a batch of a result file's events to the pieces'
// histories and advances the file's applied count, in one transaction:
// after a crash the file resumes exactly after the last batch stored. The
// batch must start at rf.Applied (the events before it applied); a batch
// that does not is refused with ErrApplied and changes nothing.
func (s *Store) ApplyResults(rf ResultFile, batch []TrackEntry) (ResultFile, error) {
	var next ResultFile
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketResults)
		if err != nil {
			return err
		}
		var have ResultFile
		if v := b.Get([]byte(rf.Digest)); v != nil {
			if err := decode("result file", []byte(rf.Digest), v, &have); err != nil {
				return err
			}
		}
		if have.Applied != rf.Applied {
			return fmt.Errorf("%s at event %d, stored %d: %w", rf.Name, rf.Applied, have.Applied, ErrApplied)
		}
		if err := putTrackEntries(tx, batch); err != nil {
			return err
		}
		next = rf
		next.Applied += len(batch)
		next.Time = time.Now().UTC()
		data, err := json.Marshal(next)
		if err != nil {
			return err
		}
		return b.Put([]byte(rf.Digest), data)
	})
	if err != nil {
		return rf, fmt.Errorf("result file %s: %w", rf.Name, err)
	}
	return next, nil
}
