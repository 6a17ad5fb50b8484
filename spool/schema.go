package spool

import (
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"
)

// A migration moves the database from schema version version-1 to version.
type migration struct {
	version uint64
	name    string
	apply   func(tx *bbolt.Tx) error
}

// migrations lists every schema change in order. The schema version of a
// database is the version of the last migration applied to it; a database
// without a version (new, or older than versioning) is at version 0.
// Append new migrations; never edit or reorder applied ones.
var migrations = []migration{
	{version: 1, name: "create v1 buckets", apply: createV1Buckets},
	{version: 2, name: "create printers and sends buckets", apply: createDeviceBuckets},
	{version: 3, name: "create tracks and results buckets", apply: createLoopBuckets},
	{version: 4, name: "index jobs by state, queue, open loop and retention", apply: buildIndexes},
}

// createLoopBuckets adds the buckets of piece histories and result files.
func createLoopBuckets(tx *bbolt.Tx) error { return createBuckets(tx, loopBuckets) }

// createDeviceBuckets adds the buckets of printer states and piece sends.
func createDeviceBuckets(tx *bbolt.Tx) error { return createBuckets(tx, deviceBuckets) }

// createBuckets creates the buckets names under bucketRoot.
func createBuckets(tx *bbolt.Tx, names [][]byte) error {
	root, err := tx.CreateBucketIfNotExists(bucketRoot)
	if err != nil {
		return err
	}
	for _, name := range names {
		if _, err := root.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("bucket %s: %w", name, err)
		}
	}
	return nil
}

// createV1Buckets creates the bucket tree drawn in the package doc.
func createV1Buckets(tx *bbolt.Tx) error {
	root, err := tx.CreateBucketIfNotExists(bucketRoot)
	if err != nil {
		return err
	}
	for _, name := range topBuckets {
		if _, err := root.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrate brings the database in tx up to the last version in list, applying
// each migration newer than the stored version in order. It refuses a
// database whose version is newer than list knows. The caller commits tx, so
// either every step is stored or none is.
func migrate(tx *bbolt.Tx, list []migration) error {
	have, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	want := uint64(0)
	if len(list) > 0 {
		want = list[len(list)-1].version
	}
	if have > want {
		return fmt.Errorf("%w: database is at schema version %d, this omsd knows up to %d: "+
			"it was written by a newer omsd and cannot be opened by an older one; "+
			"install that version again (a downgrade keeps the spool only with the version that wrote it)",
			ErrSchemaTooNew, have, want)
	}
	for _, m := range list {
		if m.version <= have {
			continue
		}
		if err := m.apply(tx); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
		if err := setSchemaVersion(tx, m.version); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// schemaVersion reads the stored schema version; 0 if none is stored.
func schemaVersion(tx *bbolt.Tx) (uint64, error) {
	root := tx.Bucket(bucketRoot)
	if root == nil {
		return 0, nil
	}
	meta := root.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	v := meta.Get(keySchemaVersion)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("schema version of %d bytes: %w", len(v), ErrCorrupt)
	}
	return binary.BigEndian.Uint64(v), nil
}

// setSchemaVersion stores v as the schema version.
func setSchemaVersion(tx *bbolt.Tx, v uint64) error {
	root, err := tx.CreateBucketIfNotExists(bucketRoot)
	if err != nil {
		return err
	}
	meta, err := root.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	return meta.Put(keySchemaVersion, u64key(v))
}
