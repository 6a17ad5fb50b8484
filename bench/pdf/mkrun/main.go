// Command mkrun writes a PDF mail run for the PDF benchmark: pieces of one
// to four pages, a shared font and logo, a PDF/VT document part tree with
// account and postal code per piece, one bookmark per piece, and a page
// tree of either shape.
//
//	mkrun -pages 100000 [-flat] OUT.pdf
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/omsd/omsd/internal/pdftest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkrun:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mkrun", flag.ContinueOnError)
	pages := fs.Int("pages", 10000, "pages of the run (the last piece may be shorter)")
	flat := fs.Bool("flat", false, "one page tree node holding every page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *pages < 1 {
		return errors.New("usage: mkrun -pages N [-flat] OUT.pdf")
	}
	var pieces []int
	for left, i := *pages, 0; left > 0; i++ {
		n := min(1+(i*7)%4, left) // 1, 4, 3, 2, 1, ...: 2.5 pages on average
		pieces = append(pieces, n)
		left -= n
	}
	return pdftest.WriteFile(fs.Arg(0), pdftest.Options{
		Pieces: pieces, Bookmarks: true, Balanced: !*flat, Logo: true, DPart: true, PageLabels: true,
	})
}
