// Command indexrun drives package afp for benchmarks: it indexes a print
// file, or indexes it, sorts its pieces by POSTCODE and writes them to a
// number of outputs, as many at a time as there are CPUs (-j).
//
//	indexrun run.afp              # index only
//	indexrun -n 4 run.afp DIR     # index, sort, write 4 outputs into DIR
//
// -mem prints the index's memory, -cpuprofile writes a CPU profile, -one
// indexes in one pass on one core.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/omsd/omsd/bench/internal/prof"

	"github.com/omsd/omsd/afp"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "indexrun:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("indexrun", flag.ContinueOnError)
	n := fs.Int("n", 4, "number of outputs")
	jobs := fs.Int("j", runtime.GOMAXPROCS(0), "outputs written at a time")
	mem := fs.Bool("mem", false, "print memory statistics after indexing")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	one := fs.Bool("one", false, "index in one pass on one core (afp.BuildIndex), not on every core (afp.BuildIndexAt)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := prof.StartCPU(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if fs.NArg() < 1 || fs.NArg() > 2 || *n < 1 {
		return fmt.Errorf("usage: indexrun [-n OUTPUTS] [-j JOBS] FILE [OUTDIR]")
	}
	in, out := fs.Arg(0), fs.Arg(1)
	src, err := os.Open(in)
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	start := time.Now()
	var idx *afp.Index
	if *one {
		idx, err = afp.BuildIndex(src, afp.IndexOptions{})
	} else {
		idx, err = afp.BuildIndexAt(src, st.Size(), afp.IndexOptions{})
	}
	if err != nil {
		return err
	}
	fmt.Printf("index: %d pieces, %d pages, %d sheets, %d bytes in %v\n", len(idx.Pieces), idx.Pages, idx.Sheets, idx.Size, time.Since(start).Round(time.Millisecond))
	if *mem {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("memory: %d MB live after GC, %d MB from the OS, %d GCs\n", ms.HeapAlloc>>20, ms.Sys>>20, ms.NumGC)
	}
	if out == "" {
		return nil
	}
	if err := writeOutputs(out, *n, max(*jobs, 1), src, idx, byPostcode(idx)); err != nil {
		return err
	}
	fmt.Printf("index, sort, %d outputs: %v\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}

// byPostcode orders the pieces' sequence numbers by their POSTCODE TLE.
func byPostcode(idx *afp.Index) []int {
	keys := make([]string, len(idx.Pieces))
	order := make([]int, len(idx.Pieces))
	for i := range idx.Pieces {
		keys[i], _ = idx.Pieces[i].Value("POSTCODE")
		order[i] = i + 1
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(keys[a-1], keys[b-1]), cmp.Compare(a, b)) })
	return order
}

// writeOutputs cuts the order into n parts and writes each to a file of
// its own, jobs at a time.
func writeOutputs(dir string, n, jobs int, src *os.File, idx *afp.Index, order []int) error {
	errs := make([]error, n)
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for part := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			name := filepath.Join(dir, fmt.Sprintf("out-%d.afp", part+1))
			errs[part] = writeOutput(name, src, idx, order[part*len(order)/n:(part+1)*len(order)/n])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func writeOutput(name string, src *os.File, idx *afp.Index, order []int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	err = afp.WriteOutput(f, src, idx, order, nil)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", name, err)
	}
	return nil
}
