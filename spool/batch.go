package spool

import (
	"errors"
	"time"

	"go.etcd.io/bbolt"
)

// batchDelay is how long a write waits for others to share its commit.
// A commit costs two fsyncs (milliseconds on most disks); writers of the
// daemon's stages (intake, analysis, routing, each printer) that arrive
// within this delay share one.
const batchDelay = time.Millisecond

// refusal is an error a batched write returns before it wrote anything:
// it fails that write alone, not the others sharing its transaction.
type refusal struct{ err error }

func (r refusal) Error() string { return r.err.Error() }

// refuse marks err, found before fn wrote anything, as a refusal.
func refuse(err error) error { return refusal{err} }

// batch runs fn in a write transaction that concurrent writers share (one
// commit and fsync for all) and returns once it is committed, so what it
// stored survives a crash like a write of its own. fn may run twice
// (bbolt runs each function of a failed batch again alone), so it must
// set its results afresh each time. An error fn returns through refuse
// stores nothing of fn and is returned unchanged; any other error fails
// the transaction.
func (s *Store) batch(fn func(tx *bbolt.Tx) error) error {
	var refused error
	err := s.db.Batch(func(tx *bbolt.Tx) error {
		refused = nil
		err := fn(tx)
		var r refusal
		if errors.As(err, &r) {
			refused = r.err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return refused
}
