package spool

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/omsd/omsd/meta"
)

// SetPieces replaces job id's pieces with pieces, in one transaction. Every
// Seq must be positive and unique. The job must exist.
func (s *Store) SetPieces(id int64, pieces []Piece) error {
	sorted, err := sortPieces(id, pieces)
	if err != nil {
		return err
	}
	err = s.batch(func(tx *bbolt.Tx) error {
		j, err := getJob(tx, id)
		if err != nil {
			return refuse(err)
		}
		if err := touchJobRun(tx, j); err != nil {
			return err
		}
		all, err := bucket(tx, bucketPieces)
		if err != nil {
			return err
		}
		key := u64key(uint64(id))
		err = all.DeleteBucket(key)
		if err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return fmt.Errorf("job %d pieces: %w", id, err)
		}
		jb, err := all.CreateBucket(key)
		if err != nil {
			return fmt.Errorf("job %d pieces: %w", id, err)
		}
		return putPieces(jb, id, sorted)
	})
	if err != nil {
		return fmt.Errorf("set pieces: %w", err)
	}
	return nil
}

// sortPieces returns a copy of pieces ordered by Seq, checking that every
// Seq is positive and unique.
func sortPieces(id int64, pieces []Piece) ([]Piece, error) {
	sorted := slices.Clone(pieces)
	slices.SortFunc(sorted, func(a, b Piece) int { return cmp.Compare(a.Seq, b.Seq) })
	for i, p := range sorted {
		if p.Seq <= 0 {
			return nil, fmt.Errorf("job %d: piece seq %d: %w", id, p.Seq, ErrInvalid)
		}
		if i > 0 && sorted[i-1].Seq == p.Seq {
			return nil, fmt.Errorf("job %d: duplicate piece seq %d: %w", id, p.Seq, ErrInvalid)
		}
	}
	return sorted, nil
}

// putPieces writes pieces, already in ascending Seq order, into the job's
// empty bucket b.
func putPieces(b *bbolt.Bucket, id int64, pieces []Piece) error {
	// Keys arrive in ascending order, so full pages never need splitting again.
	b.FillPercent = 1.0
	for _, p := range pieces {
		data, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("job %d piece %d: %w", id, p.Seq, err)
		}
		if err := b.Put(u64key(uint64(p.Seq)), data); err != nil {
			return fmt.Errorf("job %d piece %d: %w", id, p.Seq, err)
		}
	}
	return nil
}

// storedPiece is a piece record as it is decoded: its metadata goes into
// the job's one metadata table (meta.Builder), not a table per piece. The
// record's bytes are those of a Piece.
type storedPiece struct {
	Piece
	Meta json.RawMessage `json:"meta"`
}

// Pieces returns job id's pieces ordered by Seq; an empty list if none were
// set. The job must exist.
func (s *Store) Pieces(id int64) ([]Piece, error) {
	list := []Piece{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getJob(tx, id); err != nil {
			return err
		}
		all, err := bucket(tx, bucketPieces)
		if err != nil {
			return err
		}
		jb := all.Bucket(u64key(uint64(id)))
		if jb == nil {
			return nil
		}
		b := meta.NewBuilder()
		return jb.ForEach(func(k, v []byte) error {
			var sp storedPiece
			if err := decode("piece", k, v, &sp); err != nil {
				return err
			}
			p := sp.Piece
			if len(sp.Meta) > 0 {
				m, err := b.AddJSON(sp.Meta)
				if err != nil {
					return fmt.Errorf("piece %x: %w: %w", k, ErrCorrupt, err)
				}
				p.Meta = m
			}
			list = append(list, p)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("pieces: %w", err)
	}
	return list, nil
}
