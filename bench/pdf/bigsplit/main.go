// Command bigsplit is the large-PDF benchmark's driver: it opens a PDF
// with package pdf and writes its pages into four outputs of consecutive
// pages (a quarter each), in parallel and fsynced, as a job's split does.
// It prints the time of each step and its peak resident memory.
//
//	bigsplit IN.pdf OUTDIR
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/omsd/omsd/pdf"
)

const outputs = 4

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bigsplit:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: bigsplit IN.pdf OUTDIR")
	}
	in, dir := args[0], args[1]
	start := time.Now()
	doc, err := pdf.Open(in)
	if err != nil {
		return err
	}
	opened := time.Now()
	n := doc.PageCount()
	specs := make([]pdf.OutputSpec, outputs)
	for p := 1; p <= n; p++ {
		s := &specs[(p-1)*outputs/n]
		s.Pages = append(s.Pages, p)
	}
	for i := range specs {
		specs[i].Path = filepath.Join(dir, fmt.Sprintf("out%d.pdf", i+1))
	}
	if n < outputs {
		specs = specs[outputs-n:]
	}
	if err := doc.WriteOutputs(specs); err != nil {
		return err
	}
	fmt.Printf("pages %d open %.3fs write %.3fs total %.3fs maxrss_kb %d %s\n", n, opened.Sub(start).Seconds(),
		time.Since(opened).Seconds(), time.Since(start).Seconds(), maxRSS(), memory())
	return nil
}

// memory is the process's resident memory at the end, anonymous (the
// heap) and file-backed (a mapped input), from /proc/self/status.
func memory() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "RssAnon:") || strings.HasPrefix(l, "RssFile:") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(out, " ")
}

// maxRSS is the peak resident memory of this process, in KiB.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Maxrss
}
