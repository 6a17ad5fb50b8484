// Command gen writes the example print files in examples/ that the README's
// Quickstart drops into the default hot folders:
//
//	letters.pdf          12 letters, one bookmark each
//	statements.pdf/.json 8 statements with a sidecar index (account, postal code)
//	statements.afp       10 AFP statements in named page groups with TLE metadata
//
// Run it from the repository root: go run ./examples/gen examples
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/internal/pdftest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: gen DIR")
	}
	dir := args[0]
	letters := pdftest.Options{Pieces: []int{1, 2, 1, 3, 1, 2, 2, 1, 1, 4, 1, 2}, Bookmarks: true,
		Title: func(i int) string { return fmt.Sprintf("Letter %d", i+1) }}
	if err := pdftest.WriteFile(filepath.Join(dir, "letters.pdf"), letters); err != nil {
		return err
	}
	statements := pdftest.Options{Pieces: []int{2, 1, 3, 2, 1, 2, 4, 1}, Logo: true}
	if err := pdftest.WriteFile(filepath.Join(dir, "statements.pdf"), statements); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "statements.json"), pdftest.Sidecar(statements), 0o644); err != nil {
		return err
	}
	return writeAFP(filepath.Join(dir, "statements.afp"))
}

func writeAFP(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = afptest.Write(f, afptest.Options{Pages: 40, Seed: 1, TextBytes: 300})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
