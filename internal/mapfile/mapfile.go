// Package mapfile maps a file into memory read-only, for parsers that
// read large inputs without holding them: the pages of the file are
// brought in as they are touched, and dropped from the process again once
// more than a budget may be resident.
//
// A file that shrinks under its mapping makes a read of the lost part a
// fault. A goroutine that reads a mapping turns faults into panics with
// CatchFaults, and its recover tells them from other panics with IsFault.
package mapfile

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
)

// ErrTooLarge is returned for a file that does not fit in the address space.
var ErrTooLarge = errors.New("mapfile: the file does not fit in this machine's address space")

// Resident memory of a mapping: the kernel maps a file's page cache into
// a process in folios of up to 2 MiB, so that reading a few bytes can make
// 2 MiB of the file resident. Past ResidentBudget bytes of touched folios
// the mapping's pages are dropped from the process (they stay in the page
// cache, and come back on the next touch).
const (
	folioSize      = 2 << 20
	ResidentBudget = 32 << 20
)

// Mapping is a file mapped read-only.
type Mapping struct {
	data []byte
	once sync.Once
	err  error
	// charged counts what the folios touched since the last drop may
	// hold, lastFolio the folio last counted (consecutive reads share
	// one).
	charged   atomic.Int64
	lastFolio atomic.Int64
}

// Map maps the first size bytes of f read-only. The file may be closed
// once mapped; the mapping lasts until Unmap.
func Map(f *os.File, size int64) (*Mapping, error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mapping the file into memory: %w", err)
	}
	return &Mapping{data: data}, nil
}

// Bytes is the mapped file. Reading it after Unmap faults.
func (m *Mapping) Bytes() []byte { return m.data }

// Sequential tells the kernel that the mapping is read in order: it reads
// ahead further.
func (m *Mapping) Sequential() {
	syscall.Madvise(m.data, syscall.MADV_SEQUENTIAL) // only a hint
}

// Touched counts the bytes [off, end) of the file as brought into this
// process, and drops the mapping's pages once they may hold more than the
// budget. It is safe for concurrent use: dropping pages another goroutine
// reads only makes them fault in again.
func (m *Mapping) Touched(off, end int64) {
	if end <= off {
		end = off + 1
	}
	first, last := off/folioSize, (end-1)/folioSize
	n := last - first + 1
	if m.lastFolio.Swap(last) == first {
		n--
	}
	if m.charged.Add(n*folioSize) > ResidentBudget {
		m.Drop()
	}
}

// Drop drops the mapping's pages from this process's memory.
func (m *Mapping) Drop() {
	m.charged.Store(0)
	syscall.Madvise(m.data, syscall.MADV_DONTNEED) // for a read-only file mapping, only a hint
}

// Unmap releases the mapping; it may be called more than once.
func (m *Mapping) Unmap() error {
	m.once.Do(func() { m.err = syscall.Munmap(m.data) })
	return m.err
}

// CatchFaults makes a fault of the calling goroutine (reading a mapped
// file cut short) a panic until the returned function is called: defer
// mapfile.CatchFaults()() in the function whose recover turns it into an
// error.
func CatchFaults() (restore func()) {
	old := debug.SetPanicOnFault(true)
	return func() { debug.SetPanicOnFault(old) }
}

// IsFault reports whether r, a recovered panic value, is a fault reading
// memory under CatchFaults, not a nil pointer (those fault near address 0)
// nor another panic.
func IsFault(r any) bool {
	f, ok := r.(interface{ Addr() uintptr })
	return ok && f.Addr() >= 1<<16
}
