package spool

import (
	"io"
	"os"

	"github.com/omsd/omsd/atomicfile"
)

// WriteFileAtomic writes r to path atomically and durably; see
// atomicfile.WriteFile.
func WriteFileAtomic(path string, r io.Reader, perm os.FileMode) (int64, error) {
	return atomicfile.WriteFile(path, r, perm)
}

// MoveFile moves src to dst atomically and durably, across filesystems
// too; see atomicfile.Move.
func MoveFile(src, dst string) error { return atomicfile.Move(src, dst) }

// SyncDir fsyncs directory dir; see atomicfile.SyncDir.
func SyncDir(dir string) error { return atomicfile.SyncDir(dir) }

// WriteFileWith is WriteFileAtomic for a writer that fills the temp file
// itself; see atomicfile.WriteWith.
func WriteFileWith(path string, perm os.FileMode, write func(f *os.File) error) (int64, error) {
	return atomicfile.WriteWith(path, perm, write)
}
