package pdf

import (
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/omsd/omsd/internal/mapfile"
)

// mapAbove is the size from which Open maps a file into memory read-only
// instead of reading it: the pages of a mapped file are brought in as the
// parser touches them (the cross-reference table, the dictionaries of the
// objects in use), and large streams are copied to outputs from the file
// by offset and length through the output's buffer, so that an input of
// several gigabytes needs no more memory than a small one. Smaller files
// are read whole: one read is cheaper than the faults of a mapping.
const mapAbove = 64 << 20

// copyAbove is the size from which a stream of a mapped file is copied
// from the file rather than from the mapping.
const copyAbove = 64 << 10

// mapping is a file mapped read-only, and the file, for copies by offset.
type mapping struct {
	*mapfile.Mapping
	file *os.File
	data []byte
	once sync.Once
	err  error
}

// touched is mapfile.Mapping.Touched for a mapped file, and nothing for
// one read into memory.
func (d *Doc) touched(off, end int64) {
	if d.mapped != nil {
		d.mapped.Touched(off, end)
	}
}

// mapFile maps f, of size bytes, read-only. The Doc that holds it
// releases it on Close, or when it is garbage.
func mapFile(f *os.File, size int64) (*mapping, error) {
	if int64(int(size)) != size {
		return nil, fmt.Errorf("%w: %d bytes do not fit in this machine's address space", ErrDamaged, size)
	}
	m, err := mapfile.Map(f, size)
	if err != nil {
		return nil, err
	}
	return &mapping{Mapping: m, file: f, data: m.Bytes()}, nil
}

func (m *mapping) release() error {
	m.once.Do(func() {
		m.err = m.Unmap()
		if err := m.file.Close(); m.err == nil {
			m.err = err
		}
	})
	return m.err
}

// keep ties the mapping's release to d, which holds it: it happens on
// Close, or once d is garbage.
func (m *mapping) keep(d *Doc) {
	runtime.AddCleanup(d, func(m *mapping) { m.release() }, m)
}

// reading makes a fault of the calling goroutine on a mapped file a panic
// (which guard turns into an error: a file cut short under the mapping)
// and keeps d, and so its mapping, alive until the function it returns is
// called: an exported method that reads the file defers d.reading()().
func (d *Doc) reading() func() {
	restore := mapfile.CatchFaults()
	return func() {
		restore()
		runtime.KeepAlive(d)
	}
}

// Close releases what an open document holds beyond memory: the mapping
// of a large file and the file itself. The document cannot be used after
// it. Close is optional (an unreachable Doc is released by the garbage
// collector) and may be called more than once.
func (d *Doc) Close() error {
	if d.mapped == nil {
		return nil
	}
	return d.mapped.release()
}
