package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback starts the writeback of n bytes of f from off and
// returns without waiting for it.
func startWriteback(f *os.File, off, n int64) error {
	return syncRange(f, off, n, unix.SYNC_FILE_RANGE_WRITE)
}

// waitWriteback writes n bytes of f from off to disk and waits until they
// are there.
func waitWriteback(f *os.File, off, n int64) error {
	return syncRange(f, off, n, unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
}

func syncRange(f *os.File, off, n int64, flags int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.SyncFileRange(int(fd), off, n, flags) }); err != nil {
		return err
	}
	return serr
}
