// Command gen writes the small print files of the jobs benchmark: N PDFs
// of 1 to 3 pages, each one mail piece.
//
//	gen -files 2000 DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/internal/pdftest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	n := fs.Int("files", 2000, "print files to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *n < 1 {
		return errors.New("usage: gen -files N DIR")
	}
	dir := fs.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range *n {
		path := filepath.Join(dir, fmt.Sprintf("letter-%05d.pdf", i+1))
		if err := pdftest.WriteFile(path, pdftest.Options{Pieces: []int{1 + i%3}}); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}
