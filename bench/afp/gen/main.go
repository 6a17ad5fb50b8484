// Command gen writes a deterministic AFP mail run for benchmarks: about
// five pages a piece, TLEs, IMMs, an inline form map (see
// internal/afptest). -small writes pieces of 1 to 6 pages of about 200
// bytes each, where the index is per field rather than per byte.
//
//	gen -pages 100000 -o run.afp
//	gen -small -pages 900000 -o small.afp
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/omsd/omsd/internal/afptest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	pages := fs.Int("pages", 100000, "pages in the run")
	out := fs.String("o", "", "file to write (required)")
	seed := fs.Uint64("seed", 1, "random seed")
	text := fs.Int("text", 1200, "presentation text bytes per page")
	small := fs.Bool("small", false, "small pages: 1 to 6 pages a piece (3 on average), about 200 bytes a page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("-o FILE is required")
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	gt, err := afptest.Write(f, afptest.Options{Pages: *pages, Seed: *seed, TextBytes: *text, SmallPages: *small})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Printf("%s: %d pages, %d pieces, %d sheets, %d bytes\n", *out, gt.Pages, len(gt.Pieces), gt.Sheets, gt.Size)
	return nil
}
