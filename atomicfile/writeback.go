package atomicfile

import (
	"io"
	"os"
)

// writebackChunk is how many bytes Writeback lets pile up before it asks
// the kernel to write them to disk.
const writebackChunk = 8 << 20

// Writeback returns a writer to f that, every few megabytes written,
// starts the kernel writing them back to disk (on Linux, sync_file_range;
// elsewhere it only writes). The disk then works while the writer goes on,
// and the fsync at the end waits for the last few megabytes instead of the
// whole file. Before it starts a chunk it waits for the one before the
// last, so that at most two chunks of the file are dirty in memory however
// large it grows. It does not make anything durable by itself: only the
// fsync does; after the first failed request it only writes.
func Writeback(f *os.File) io.Writer {
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		off = 0
	}
	return &writeback{f: f, off: off, from: off, waited: off}
}

type writeback struct {
	f      *os.File
	off    int64 // where the next write goes
	from   int64 // the first byte whose writeback is not started
	waited int64 // the first byte whose writeback was not waited for
	failed bool  // a request failed: plain writes from then on
}

func (w *writeback) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.off += int64(n)
	if err != nil || w.failed || w.off-w.from < writebackChunk {
		return n, err
	}
	if w.from > w.waited {
		if waitWriteback(w.f, w.waited, w.from-w.waited) != nil {
			w.failed = true
			return n, nil
		}
		w.waited = w.from
	}
	if startWriteback(w.f, w.from, w.off-w.from) != nil {
		w.failed = true
		return n, nil
	}
	w.from = w.off
	return n, nil
}
