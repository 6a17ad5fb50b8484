package spool

import (
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"
)

// bucket returns the top-level bucket name under bucketRoot. A missing
// bucket means the database was damaged after migration.
func bucket(tx *bbolt.Tx, name []byte) (*bbolt.Bucket, error) {
	root := tx.Bucket(bucketRoot)
	if root == nil {
		return nil, fmt.Errorf("bucket %s missing: %w", bucketRoot, ErrCorrupt)
	}
	b := root.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("bucket %s/%s missing: %w", bucketRoot, name, ErrCorrupt)
	}
	return b, nil
}

// idKey is the key of job id; ok is false for ids no job can have.
func idKey(id int64) (key []byte, ok bool) {
	if id <= 0 {
		return nil, false
	}
	return u64key(uint64(id)), true
}

// decode unmarshals a stored record into v. json.Unmarshal copies what it
// keeps, so v holds no bytes owned by bbolt.
func decode(what string, k, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s %x: %w: %w", what, k, ErrCorrupt, err)
	}
	return nil
}
