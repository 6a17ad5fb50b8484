package spool

import (
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"
)

// PieceSends is the delivery record of one piece: how many times it went to
// a device, and where a device confirmed it printed. A piece with Sends > 1
// may have been printed more than once.
type PieceSends struct {
	Sends     int      `json:"sends"`               // transmissions that carried it
	Printers  []string `json:"printers,omitempty"`  // where each transmission went
	Confirmed string   `json:"confirmed,omitempty"` // the printer that confirmed it printed
}

// RecordSends adds one transmission to printer for each piece seq of job id.
func (s *Store) RecordSends(id int64, seqs []int, printer string) error {
	return s.updateSends(id, seqs, func(ps *PieceSends) {
		ps.Sends++
		ps.Printers = append(ps.Printers, printer)
	})
}

// ConfirmPieces records that printer confirmed the pieces seqs of job id
// printed.
func (s *Store) ConfirmPieces(id int64, seqs []int, printer string) error {
	return s.updateSends(id, seqs, func(ps *PieceSends) { ps.Confirmed = printer })
}

func (s *Store) updateSends(id int64, seqs []int, fn func(*PieceSends)) error {
	if len(seqs) == 0 {
		return nil
	}
	err := s.batch(func(tx *bbolt.Tx) error {
		j, err := getJob(tx, id)
		if err != nil {
			return refuse(err)
		}
		if err := touchJobRun(tx, j); err != nil {
			return err
		}
		return sendsTx(tx, id, seqs, fn)
	})
	if err != nil {
		return fmt.Errorf("job %d piece sends: %w", id, err)
	}
	return nil
}

// RecordPrinted records that printer confirmed the pieces seqs of job id
// printed, appends tracks to the pieces' histories and updates the job with
// fn (as UpdateJob does), in one transaction: the job's new state is never
// stored without the confirmation and histories that led to it. An error
// from fn stores nothing.
func (s *Store) RecordPrinted(id int64, seqs []int, printer string, tracks []TrackEntry, fn func(*Job) error) (Job, error) {
	if fn == nil {
		return Job{}, fmt.Errorf("job %d: nil update function: %w", id, ErrInvalid)
	}
	if err := checkTrackEntries(tracks); err != nil {
		return Job{}, err
	}
	confirm := func(ps *PieceSends) { ps.Confirmed = printer }
	var j Job
	err := s.batch(func(tx *bbolt.Tx) error {
		var err error
		j, err = updateJobTx(tx, id, fn, func() error {
			if err := sendsTx(tx, id, seqs, confirm); err != nil {
				return err
			}
			return putTrackEntries(tx, tracks)
		})
		return err
	})
	if err != nil {
		return Job{}, fmt.Errorf("job %d printed: %w", id, err)
	}
	return j, nil
}

// sendsTx applies fn to the delivery records of the pieces seqs of job id.
func sendsTx(tx *bbolt.Tx, id int64, seqs []int, fn func(*PieceSends)) error {
	if len(seqs) == 0 {
		return nil
	}
	all, err := bucket(tx, bucketSends)
	if err != nil {
		return err
	}
	jb, err := all.CreateBucketIfNotExists(u64key(uint64(id)))
	if err != nil {
		return err
	}
	for _, seq := range seqs {
		if err := updateSend(jb, seq, fn); err != nil {
			return err
		}
	}
	return nil
}

func updateSend(b *bbolt.Bucket, seq int, fn func(*PieceSends)) error {
	if seq <= 0 {
		return fmt.Errorf("piece seq %d: %w", seq, ErrInvalid)
	}
	key := u64key(uint64(seq))
	var ps PieceSends
	if v := b.Get(key); v != nil {
		if err := decode("piece sends", key, v, &ps); err != nil {
			return err
		}
	}
	fn(&ps)
	data, err := json.Marshal(ps)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// Sends returns job id's delivery records by piece seq; pieces never sent
// are absent.
func (s *Store) Sends(id int64) (map[int]PieceSends, error) {
	out := map[int]PieceSends{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		all, err := bucket(tx, bucketSends)
		if err != nil {
			return err
		}
		jb := all.Bucket(u64key(uint64(id)))
		if jb == nil {
			return nil
		}
		return jb.ForEach(func(k, v []byte) error {
			seq, ok := keyU64(k)
			if !ok {
				return fmt.Errorf("piece sends key of %d bytes: %w", len(k), ErrCorrupt)
			}
			var ps PieceSends
			if err := decode("piece sends", k, v, &ps); err != nil {
				return err
			}
			out[int(seq)] = ps
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("job %d piece sends: %w", id, err)
	}
	return out, nil
}
