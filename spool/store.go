package spool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/omsd/omsd/atomicfile"
)

// Errors returned by the spool. Callers test them with errors.Is.
var (
	// ErrNotFound means the job (or its pieces or events) is not in the spool.
	ErrNotFound = errors.New("spool: not found")
	// ErrLocked means another process holds the spool database open.
	ErrLocked = errors.New("spool: another omsd is using the spool")
	// ErrSchemaTooNew means the database was written by a newer omsd.
	ErrSchemaTooNew = errors.New("spool: database schema is newer than this omsd supports")
	// ErrInvalid means a value passed to the spool cannot be stored.
	ErrInvalid = errors.New("spool: invalid value")
	// ErrCorrupt means the database lacks a bucket or holds an undecodable record.
	ErrCorrupt = errors.New("spool: database is corrupt")
)

// lockTimeout is how long Open waits for another process to release the
// database before giving up with ErrLocked.
const lockTimeout = time.Second

// Store is an open spool. Its methods are safe for concurrent use; each one
// is a single transaction.
type Store struct {
	dir string
	db  *bbolt.DB
}

// Open opens (creating if needed) the spool in dir: dir/spool.db and
// dir/jobs/. Only one process may open it at a time; if another holds the
// lock, Open fails within about a second with an error wrapping ErrLocked.
func Open(dir string) (*Store, error) {
	if err := makeDir(dir); err != nil {
		return nil, fmt.Errorf("spool directory: %w", err)
	}
	if err := makeDir(filepath.Join(dir, jobsDir)); err != nil {
		return nil, fmt.Errorf("spool jobs directory: %w", err)
	}
	path := filepath.Join(dir, dbFile)
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:      lockTimeout,
		FreelistType: bbolt.FreelistMapType,
	})
	if err == nil {
		db.MaxBatchDelay = batchDelay
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("spool %s: %w (lock on %s held for %v)", dir, ErrLocked, path, lockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("spool database %s: %w", path, err)
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		db.Close()
		return nil, fmt.Errorf("spool directory: %w", err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error { return migrate(tx, migrations) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("spool database %s: %w", path, err)
	}
	return &Store{dir: dir, db: db}, nil
}

// makeDir creates dir (0700, with any missing parents) if it does not exist
// and makes its entry durable. An existing dir must be a directory.
func makeDir(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		return fmt.Errorf("%s: not a directory", dir)
	}
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.SyncDir(filepath.Dir(dir))
}

// Close closes the database and releases the lock.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("spool database: %w", err)
	}
	return nil
}

// Dir is the spool directory the store was opened in.
func (s *Store) Dir() string { return s.dir }

// JobDir is the directory for job id's print data, dir/jobs/<id>. It is not
// created; see MakeJobDir.
func (s *Store) JobDir(id int64) string {
	return filepath.Join(s.dir, jobsDir, strconv.FormatInt(id, 10))
}

// MakeJobDir creates job id's directory (0700) if it does not exist, fsyncs
// its parent so the entry is durable, and returns its path. An existing
// directory is fine.
func (s *Store) MakeJobDir(id int64) (string, error) {
	if id <= 0 {
		return "", fmt.Errorf("job directory for id %d: %w", id, ErrInvalid)
	}
	dir := s.JobDir(id)
	if err := makeDir(dir); err != nil {
		return "", fmt.Errorf("job directory: %w", err)
	}
	return dir, nil
}
