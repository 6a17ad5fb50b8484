package pdf

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
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
	file *os.File
	data []byte
	once sync.Once
	err  error
	// The kernel maps a file's page cache into a process in folios of up
	// to 2 MiB, so that parsing one small object can make 2 MiB of the
	// file resident. charged counts what the folios touched since the
	// last drop may hold, lastFolio the folio last counted (consecutive
	// objects share one); past residentBudget the mapping's pages are
	// dropped from this process (they stay in the page cache, and come
	// back on the next touch).
	charged   atomic.Int64
	lastFolio atomic.Int64
}

// Resident memory of a mapped file: see mapping.
const (
	folioSize      = 2 << 20
	residentBudget = 32 << 20
)

// touched counts the bytes [off, end) of the file as brought into this
// process, and drops the mapping's pages once they may hold more than
// residentBudget bytes. It is safe for concurrent use: dropping pages
// another goroutine reads only makes them fault in again.
func (m *mapping) touched(off, end int64) {
	if end <= off {
		end = off + 1
	}
	first, last := off/folioSize, (end-1)/folioSize
	n := last - first + 1
	if m.lastFolio.Swap(last) == first {
		n--
	}
	if m.charged.Add(n*folioSize) > residentBudget {
		m.drop()
	}
}

// drop drops the mapping's pages from this process's memory.
func (m *mapping) drop() {
	m.charged.Store(0)
	syscall.Madvise(m.data, syscall.MADV_DONTNEED) // for a read-only file mapping, only a hint
}

// touched is mapping.touched for a mapped file, and nothing for one read
// into memory.
func (d *Doc) touched(off, end int64) {
	if d.mapped != nil {
		d.mapped.touched(off, end)
	}
}

// mapFile maps f, of size bytes, read-only. The Doc that holds it
// releases it on Close, or when it is garbage.
func mapFile(f *os.File, size int64) (*mapping, error) {
	if int64(int(size)) != size {
		return nil, fmt.Errorf("%w: %d bytes do not fit in this machine's address space", ErrDamaged, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mapping the file into memory: %w", err)
	}
	return &mapping{file: f, data: data}, nil
}

func (m *mapping) release() error {
	m.once.Do(func() {
		m.err = syscall.Munmap(m.data)
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
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
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
