package afp

import (
	"fmt"
	"io"
	"os"

	"github.com/omsd/omsd/internal/mapfile"
)

// mapAbove is the size from which an input whose pieces are walked for a
// hook is mapped into memory read-only rather than read in blocks: runs
// then walks the file's page cache in place and copies each run once,
// into the output, instead of reading it into a block first. Smaller
// inputs are read: one read is cheaper than the faults of a mapping.
const mapAbove = 64 << 20

// mapBudget is how much of a mapped input may be resident before its pages
// are dropped: the walk reads each piece once, so a small budget costs
// few faults.
const mapBudget = 8 << 20

// mapInput maps src for runs when it is a file of mapFrom bytes or more
// and the output is large and walked for a hook; nil otherwise, and when
// the file cannot be mapped (it is then read).
func mapInput(src io.ReaderAt, idx *Index, order []int, hook PageHook, mapFrom int64) *mapfile.Mapping {
	f, ok := src.(*os.File)
	if !ok || hook == nil || !idx.Framing.None() || bufSize(idx, order) < outBufSize {
		return nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < mapFrom {
		return nil
	}
	m, err := mapfile.Map(f, st.Size())
	if err != nil {
		return nil
	}
	m.Sequential()
	m.SetBudget(mapBudget)
	return m
}

// writeMapped is write over a mapped input: a fault reading it (the file
// cut short or replaced under the mapping) is an error, not a crash.
func (o *output) writeMapped(order []int) (err error) {
	m := o.blocks.mapped
	defer m.Unmap()
	defer mapfile.CatchFaults()()
	defer func() {
		if r := recover(); r != nil {
			if !mapfile.IsFault(r) {
				panic(r)
			}
			err = fmt.Errorf("%w: the input was cut short or changed while the output was written; "+
				"leave an input alone while it is processed", ErrTruncated)
		}
	}()
	return o.write(order)
}
