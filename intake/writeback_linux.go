//go:build linux

package intake

import (
	"os"

	"golang.org/x/sys/unix"
)

// writebackEvery is how much of an upload is written before the kernel
// is told to start writing it to disk.
const writebackEvery = 8 << 20

// writeback writes an upload and has the kernel write its pages to disk
// while the rest still arrives (sync_file_range), so that the fsync
// before the acknowledgement finds little left to write: the transfer and
// the disk work at the same time rather than one after the other. It
// waits for the window before the last one, so that no more than two
// windows of an upload are dirty in memory however large it is. The
// fsync stays what makes the upload durable; writeback only moves the
// work earlier, and stops trying on the first error (the fsync reports
// any that matters).
type writeback struct {
	f                        *os.File
	written, started, waited int64
	off                      bool
}

func newWriteback(f *os.File) *writeback { return &writeback{f: f} }

func (w *writeback) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if err != nil || w.off || w.written-w.started < writebackEvery {
		return n, err
	}
	fd := int(w.f.Fd())
	if unix.SyncFileRange(fd, w.started, w.written-w.started, unix.SYNC_FILE_RANGE_WRITE) != nil {
		w.off = true
		return n, nil
	}
	if w.started > w.waited {
		const wait = unix.SYNC_FILE_RANGE_WAIT_BEFORE | unix.SYNC_FILE_RANGE_WRITE | unix.SYNC_FILE_RANGE_WAIT_AFTER
		if unix.SyncFileRange(fd, w.waited, w.started-w.waited, wait) != nil {
			w.off = true
			return n, nil
		}
		w.waited = w.started
	}
	w.started = w.written
	return n, nil
}
