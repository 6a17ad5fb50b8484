package atomicfile

import (
	"io"
	"os"
)

// writebackChunk is how many bytes Writeback lets pile up before it asks
// the kernel to write them to disk.
const writebackChunk = 8 << 20

// Writeback returns a writer to f that, every few megabytes written,
// starts the kernel writing them back to disk (on Linux, sync_file_range
// without waiting; elsewhere it only writes). The disk then works while
// the writer goes on, and the fsync at the end (WriteWith's) waits for the
// last few megabytes instead of the whole file. It does not make anything
// durable by itself: only the fsync does.
func Writeback(f *os.File) io.Writer {
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		off = 0
	}
	return &writeback{f: f, off: off, from: off}
}

type writeback struct {
	f         *os.File
	off, from int64 // where the next write goes; the first byte not yet started
}

func (w *writeback) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.off += int64(n)
	if w.off-w.from >= writebackChunk {
		startWriteback(w.f, w.from, w.off-w.from)
		w.from = w.off
	}
	return n, err
}
