package spool

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// rawDB creates dir/spool.db with setup applied, as an older or newer omsd
// might have left it.
func rawDB(t *testing.T, setup func(tx *bbolt.Tx) error) string {
	t.Helper()
	dir := t.TempDir()
	db, err := bbolt.Open(filepath.Join(dir, dbFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(setup); err != nil {
		t.Fatal(err)
	}
	return dir
}

// versionOf reads the schema version of the database in dir.
func versionOf(t *testing.T, s *Store) uint64 {
	t.Helper()
	var v uint64
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		v, err = schemaVersion(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenMigrates(t *testing.T) {
	tests := []struct {
		name  string
		setup func(tx *bbolt.Tx) error
	}{
		{"empty database", func(*bbolt.Tx) error { return nil }},
		{"root without version", func(tx *bbolt.Tx) error {
			_, err := tx.CreateBucket(bucketRoot)
			return err
		}},
		{"explicit version 0", func(tx *bbolt.Tx) error { return setSchemaVersion(tx, 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, rawDB(t, tt.setup))
			if v := versionOf(t, s); v != uint64(len(migrations)) {
				t.Errorf("schema version = %d, want %d", v, len(migrations))
			}
			j, err := s.CreateJob(Job{Name: "a"})
			if err != nil || j.ID != 1 {
				t.Errorf("CreateJob after migration = %+v, %v", j, err)
			}
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	dir := rawDB(t, func(tx *bbolt.Tx) error { return setSchemaVersion(tx, 99) })
	s, err := Open(dir)
	if err == nil {
		s.Close()
		t.Fatal("Open of a version 99 database succeeded")
	}
	if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("error = %v, want ErrSchemaTooNew naming version 99", err)
	}
}

func TestOpenRefusesCorruptVersion(t *testing.T) {
	dir := rawDB(t, func(tx *bbolt.Tx) error {
		if err := setSchemaVersion(tx, 1); err != nil {
			return err
		}
		return tx.Bucket(bucketRoot).Bucket(bucketMeta).Put(keySchemaVersion, []byte("1"))
	})
	if s, err := Open(dir); !errors.Is(err, ErrCorrupt) {
		if err == nil {
			s.Close()
		}
		t.Errorf("error = %v, want ErrCorrupt", err)
	}
}

func TestMigrateSteps(t *testing.T) {
	var applied []uint64
	step := func(v uint64, fail bool) migration {
		return migration{version: v, name: "test", apply: func(tx *bbolt.Tx) error {
			if fail {
				return errors.New("step failed")
			}
			applied = append(applied, v)
			_, err := tx.CreateBucketIfNotExists([]byte{byte('a' + v)})
			return err
		}}
	}
	tests := []struct {
		name        string
		from        uint64
		list        []migration
		wantApplied []uint64
		wantVersion uint64
		wantErr     bool
	}{
		{"from 0", 0, []migration{step(1, false), step(2, false), step(3, false)}, []uint64{1, 2, 3}, 3, false},
		{"from 2", 2, []migration{step(1, false), step(2, false), step(3, false)}, []uint64{3}, 3, false},
		{"current", 3, []migration{step(1, false), step(2, false), step(3, false)}, nil, 3, false},
		{"failure rolls back", 1, []migration{step(1, false), step(2, false), step(3, true)}, []uint64{2}, 1, true},
		{"too new", 4, []migration{step(1, false), step(2, false), step(3, false)}, nil, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			applied = nil
			db, err := bbolt.Open(filepath.Join(t.TempDir(), dbFile), 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Update(func(tx *bbolt.Tx) error { return setSchemaVersion(tx, tt.from) }); err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx *bbolt.Tx) error { return migrate(tx, tt.list) })
			if (err != nil) != tt.wantErr {
				t.Fatalf("migrate error = %v, want error %v", err, tt.wantErr)
			}
			var v uint64
			var stepBucket bool
			db.View(func(tx *bbolt.Tx) error {
				v, _ = schemaVersion(tx)
				stepBucket = tx.Bucket([]byte{'a' + 2}) != nil
				return nil
			})
			if v != tt.wantVersion {
				t.Errorf("version = %d, want %d", v, tt.wantVersion)
			}
			if !slices.Equal(applied, tt.wantApplied) {
				t.Errorf("applied %v, want %v", applied, tt.wantApplied)
			}
			if tt.name == "failure rolls back" && stepBucket {
				t.Error("bucket of step 2 committed although step 3 failed")
			}
		})
	}
}

func TestMigrationsOrdered(t *testing.T) {
	for i, m := range migrations {
		if m.version != uint64(i+1) || m.apply == nil || m.name == "" {
			t.Errorf("migrations[%d] = version %d %q, want version %d with a name and function", i, m.version, m.name, i+1)
		}
	}
}
