// Command sidecar measures mailpiece.FromSidecar on a generated sidecar
// index of many tiny pieces: wall time, bytes allocated, peak live heap
// (sampled) and the process's peak resident set size. The index is written
// to a temporary file as it is generated, never held in memory.
//
//	go run ./bench/sidecar -format json -n 1900000 -meta 1
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/omsd/omsd/internal/heappeak"
	"github.com/omsd/omsd/mailpiece"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sidecar bench:", err)
		os.Exit(1)
	}
}

func run() error {
	format := flag.String("format", "json", "json or csv")
	n := flag.Int("n", 1_900_000, "number of one-page pieces")
	meta := flag.Int("meta", 0, "meta fields per piece (short values)")
	flag.Parse()

	f, err := os.CreateTemp("", "sidecar-bench-*."+*format)
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := generate(f, *format, *n, *meta); err != nil {
		return err
	}
	size, _ := f.Seek(0, io.SeekCurrent)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := heappeak.Start()
	t0 := time.Now()
	pieces, err := mailpiece.FromSidecar(bufio.NewReader(f), *format, *n, false)
	wall := time.Since(t0)
	peak := stop()
	if err != nil {
		return err
	}
	runtime.ReadMemStats(&after)
	fmt.Printf("%s, %d pieces, %d meta fields, %.1f MiB: wall %v, allocated %d MB in %d allocations, peak heap %d MB, peak RSS %d MB\n",
		*format, len(pieces), *meta, float64(size)/(1<<20), wall.Round(time.Millisecond),
		(after.TotalAlloc-before.TotalAlloc)>>20, after.Mallocs-before.Mallocs, peak>>20, maxRSS()>>10)
	runtime.KeepAlive(pieces)
	return nil
}

// generate writes an index of n one-page pieces, each with meta fields.
func generate(w io.Writer, format string, n, meta int) error {
	bw := bufio.NewWriter(w)
	if format == "csv" {
		fmt.Fprint(bw, "first_page,pages")
		for k := range meta {
			fmt.Fprintf(bw, ",f%d", k)
		}
		fmt.Fprintln(bw)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(bw, "%d,1", i)
			for k := range meta {
				fmt.Fprintf(bw, ",%d", (i+k)%100)
			}
			fmt.Fprintln(bw)
		}
		return bw.Flush()
	}
	fmt.Fprint(bw, "[")
	for i := 1; i <= n; i++ {
		if i > 1 {
			fmt.Fprint(bw, ",")
		}
		fmt.Fprintf(bw, `{"first_page":%d,"pages":1`, i)
		if meta > 0 {
			fmt.Fprint(bw, `,"meta":{`)
			for k := range meta {
				if k > 0 {
					fmt.Fprint(bw, ",")
				}
				fmt.Fprintf(bw, `"f%d":"%d"`, k, (i+k)%100)
			}
			fmt.Fprint(bw, "}")
		}
		fmt.Fprint(bw, "}")
	}
	fmt.Fprintln(bw, "]")
	return bw.Flush()
}

// maxRSS is the process's peak resident set size in KiB.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss
}
