// Command reorder is the PDF benchmark's driver: it opens a mail run,
// indexes its pieces from the PDF/VT document part tree (or, without one,
// from the bookmarks), sorts them by postal code and writes them into four
// outputs of about equal piece counts, with package pdf. It prints the time
// of each step and its peak resident memory.
//
//	reorder [-index-only] [-qpdf DIR] [-cpuprofile FILE] IN.pdf OUTDIR
//
// With -qpdf DIR it also writes DIR/out1.args ... DIR/out4.args, argument
// files for "qpdf @FILE" that write the same four outputs into DIR, for
// comparison. With -index-only it stops before writing the outputs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/omsd/omsd/bench/internal/prof"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/pdf"
)

const outputs = 4

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "reorder:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("reorder", flag.ContinueOnError)
	indexOnly := fs.Bool("index-only", false, "stop after indexing the pieces")
	qpdfDir := fs.String("qpdf", "", "write qpdf argument files for the same outputs to this directory")
	profile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stop, err := prof.StartCPU(*profile)
	if err != nil {
		return err
	}
	defer stop()
	if fs.NArg() != 2 {
		return errors.New("usage: reorder [-index-only] [-qpdf DIR] IN.pdf OUTDIR")
	}
	in, outDir := fs.Arg(0), fs.Arg(1)
	start := time.Now()
	doc, err := pdf.Open(in)
	if err != nil {
		return err
	}
	opened := time.Now()
	pieces, err := index(doc)
	if err != nil {
		return err
	}
	indexed := time.Now()
	fmt.Printf("pages %d pieces %d open %.3fs index %.3fs", doc.PageCount(), len(pieces),
		opened.Sub(start).Seconds(), indexed.Sub(opened).Seconds())
	specs := plan(pieces, outDir)
	if *qpdfDir != "" {
		if err := qpdfArgs(*qpdfDir, in, specs); err != nil {
			return err
		}
	}
	if *indexOnly {
		fmt.Printf(" maxrss_kb %d\n", maxRSS())
		return nil
	}
	if err := doc.WriteOutputs(specs); err != nil {
		return err
	}
	fmt.Printf(" write %.3fs total %.3fs maxrss_kb %d\n", time.Since(indexed).Seconds(),
		time.Since(start).Seconds(), maxRSS())
	return nil
}

// index finds the pieces: document parts, else bookmarks.
func index(doc *pdf.Doc) ([]mailpiece.Piece, error) {
	records, err := doc.DParts()
	if err != nil {
		return nil, err
	}
	var pieces []mailpiece.Piece
	for i, r := range records {
		pieces = append(pieces, mailpiece.Piece{Seq: i + 1, FirstPage: r.FirstPage,
			Pages: r.LastPage - r.FirstPage + 1, Meta: meta.FromMap(r.Meta)})
	}
	if len(pieces) > 0 {
		return pieces, nil
	}
	entries, err := doc.Outline()
	if err != nil {
		return nil, err
	}
	return mailpiece.FromOutline(entries, doc.PageCount(), nil, false)
}

// plan sorts the pieces by postal code and deals them into four outputs.
func plan(pieces []mailpiece.Piece, dir string) []pdf.OutputSpec {
	sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].Meta.Get("postal_code") < pieces[j].Meta.Get("postal_code") })
	specs := make([]pdf.OutputSpec, outputs)
	for i, p := range pieces {
		s := &specs[i*outputs/len(pieces)]
		for page := p.FirstPage; page <= p.LastPage(); page++ {
			s.Pages = append(s.Pages, page)
		}
	}
	for i := range specs {
		specs[i].Path = filepath.Join(dir, fmt.Sprintf("out%d.pdf", i+1))
	}
	return specs
}

// qpdfArgs writes an argument file per output for
// "qpdf @FILE": --empty --pages IN RANGES -- OUT.
func qpdfArgs(dir, in string, specs []pdf.OutputSpec) error {
	for i, s := range specs {
		var ranges []string
		for j := 0; j < len(s.Pages); {
			k := j
			for k+1 < len(s.Pages) && s.Pages[k+1] == s.Pages[k]+1 {
				k++
			}
			ranges = append(ranges, fmt.Sprintf("%d-%d", s.Pages[j], s.Pages[k]))
			j = k + 1
		}
		out := filepath.Join(dir, fmt.Sprintf("out%d.pdf", i+1))
		args := strings.Join([]string{"--empty", "--pages", in, strings.Join(ranges, ","), "--", out}, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("out%d.args", i+1)), []byte(args), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// maxRSS is the peak resident memory of this process, in KiB.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Maxrss
}
