package omsdcli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
)

// runIDFile keeps, in the state directory, the number of the last
// `omsd process` run.
const runIDFile = "process-run"

// nextRunID numbers a process run: the time in Unix seconds, at least one
// more than the last run's number (kept in the state directory), so every
// run writes outputs of its own names and its marks carry a job ID
// ({job}, ten digits) no job of the daemon has.
func nextRunID(cfg *config.Config, now time.Time) (int64, error) {
	path := cfg.Path(runIDFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, fmt.Errorf("run number: %w", err)
	}
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return 0, fmt.Errorf("run number: %w", err)
	}
	defer unlock()
	id := now.Unix()
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		last, perr := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if perr != nil {
			return 0, fmt.Errorf("run number in %s: %w; remove the file to start again", path, perr)
		}
		id = max(id, last+1)
	case !errors.Is(err, os.ErrNotExist):
		return 0, fmt.Errorf("run number: %w", err)
	}
	if _, err := atomicfile.WriteFile(path, strings.NewReader(strconv.FormatInt(id, 10)+"\n"), 0o644); err != nil {
		return 0, fmt.Errorf("run number: %w", err)
	}
	return id, nil
}

// lockFile holds an exclusive lock on the file at path (made if need be)
// until the returned function is called, so that runs started at once
// get numbers of their own.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
