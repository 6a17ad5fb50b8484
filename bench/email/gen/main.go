// Command gen writes the e-mail benchmark's mail run: N one- or two-page
// statements with a logo, and a sidecar that sends every piece by e-mail
// to its own address.
//
//	gen -n 10000 DIR   (writes DIR/run.pdf and DIR/run.json)
package main

import (
	"encoding/json"
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
	n := fs.Int("n", 10000, "pieces")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *n < 1 {
		return errors.New("usage: gen -n N DIR")
	}
	dir := fs.Arg(0)
	o := pdftest.Options{Logo: true}
	type entry struct {
		FirstPage int               `json:"first_page"`
		Pages     int               `json:"pages"`
		Meta      map[string]string `json:"meta"`
	}
	pieces := make([]entry, 0, *n)
	first := 1
	for i := range *n {
		pages := 1 + i%2
		o.Pieces = append(o.Pieces, pages)
		pieces = append(pieces, entry{first, pages, map[string]string{
			"channel": "email", "email": fmt.Sprintf("c%d@example.com", i+1), "account": fmt.Sprintf("A%07d", i+1)}})
		first += pages
	}
	if err := pdftest.WriteFile(filepath.Join(dir, "run.pdf"), o); err != nil {
		return err
	}
	b, err := json.Marshal(map[string]any{"pieces": pieces})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "run.json"), b, 0o644)
}
