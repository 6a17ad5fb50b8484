package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback starts the writeback of n bytes of f from off and
// returns without waiting for it. It is advice: an error changes nothing
// (the fsync that follows writes what is left), so it is dropped.
func startWriteback(f *os.File, off, n int64) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = unix.SyncFileRange(int(fd), off, n, unix.SYNC_FILE_RANGE_WRITE)
	})
}
