// Package prof writes the CPU and heap profiles the benchmark programs
// take on request (their -cpuprofile and -memprofile flags), for
// `go tool pprof`.
package prof

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// StartCPU profiles the CPU into path until the returned stop; an empty
// path profiles nothing.
func StartCPU(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// WriteHeap writes what the heap holds now, after a collection, to path.
func WriteHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	err = pprof.WriteHeapProfile(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
