//go:build !linux

package atomicfile

import (
	"errors"
	"os"
)

var errNoSyncRange = errors.New("no sync_file_range here")

// startWriteback and waitWriteback fail where sync_file_range is missing,
// and Writeback then only writes: the fsync at the end writes the whole
// file.
func startWriteback(*os.File, int64, int64) error { return errNoSyncRange }

func waitWriteback(*os.File, int64, int64) error { return errNoSyncRange }
