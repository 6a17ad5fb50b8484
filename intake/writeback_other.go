//go:build !linux

package intake

import (
	"io"
	"os"
)

// newWriteback is the file itself where the kernel cannot be told to
// write an upload's pages early: the fsync writes them all.
func newWriteback(f *os.File) io.Writer { return f }
