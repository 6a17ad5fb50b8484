package ctl

import (
	"context"
	"fmt"
	"os"

	"github.com/omsd/omsd/afp/topdf"
	"github.com/omsd/omsd/atomicfile"
)

const transformUsage = "FILE.afp -o OUT.pdf [--piece N] [--resources DIR] [--fonts TABLE] [--font-dir DIR] [--json]"

// transformReport is the document of omsctl transform --json.
type transformReport struct {
	Input  string `json:"input"`
	Output string `json:"output"`
	*topdf.Result
}

// runTransform: omsctl transform FILE.afp -o OUT.pdf [--piece N] …
//
// It works offline: the PDF is made here, not by the daemon, and written
// atomically (a crash leaves no half-written OUT.pdf).
func runTransform(_ context.Context, e *env, args []string) error {
	fs := e.newFlagSet("transform", transformUsage)
	out := fs.String("o", "", "the PDF `file` to write")
	piece := fs.Int("piece", 0, "transform only the `N`-th named page group (mail piece), from 1; 0 for the whole file")
	resDir := fs.String("resources", "", "a `directory` of overlays and page segments not in the file's resource group")
	fontTable := fs.String("fonts", "", "an edited font `table` (start from omsctl transform --print-fonts)")
	fontDir := fs.String("font-dir", "", "the `directory` of the table's TrueType fonts (default "+topdf.DefaultFontDir+")")
	printFonts := fs.Bool("print-fonts", false, "print the shipped font table and exit")
	asJSON := fs.Bool("json", false, "print the pages, page groups and warnings as JSON")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if *printFonts {
		_, err := fmt.Fprint(e.stdout, topdf.ShippedFontTable())
		return err
	}
	if err := wantArgs("transform", pos, "FILE.afp"); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("transform: -o OUT.pdf is required (see omsctl transform -h)")
	}
	if *piece < 0 {
		return fmt.Errorf("transform: --piece %d: want a piece number from 1, or 0 for the whole file", *piece)
	}
	opt := topdf.Options{Piece: *piece, ResourceDir: *resDir, FontDir: *fontDir}
	if *fontTable != "" {
		b, err := os.ReadFile(*fontTable)
		if err != nil {
			return fmt.Errorf("transform: font table: %w", err)
		}
		opt.FontTable = string(b)
	}
	in, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("transform: %w", err)
	}
	defer in.Close()
	var res *topdf.Result
	_, err = atomicfile.WriteWith(*out, 0o644, func(f *os.File) error {
		var terr error
		res, terr = topdf.Transform(in, f, opt)
		return terr
	})
	if err != nil {
		return fmt.Errorf("transform %s: %w", pos[0], err)
	}
	if *asJSON {
		return printJSON(e.stdout, transformReport{Input: pos[0], Output: *out, Result: res})
	}
	fmt.Fprintf(e.stdout, "%s: %d pages written to %s\n", pos[0], res.Pages, *out)
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	if res.MoreWarnings > 0 {
		fmt.Fprintf(e.stdout, "warning: %d more kinds of warning not listed\n", res.MoreWarnings)
	}
	return nil
}
