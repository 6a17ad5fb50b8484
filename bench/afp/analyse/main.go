// Command analyse runs the analysis step of omsd on a print file, as the
// daemon's analysis service does before it plans: the workflow's
// pipeline.Open (for AFP, the index on every core) and Analyze (the
// pieces and their metadata), and prints what it found and how long each
// took. bench/afp/run.sh times it beside omsctl inspect and the bare
// field walk.
//
//	analyse CONFIG WORKFLOW FILE
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/pipeline"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "analyse:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: analyse CONFIG WORKFLOW FILE")
	}
	cfg, err := config.Load(args[0])
	if err != nil {
		return err
	}
	wf, ok := cfg.Workflow(args[1])
	if !ok {
		return fmt.Errorf("no workflow %q in %s", args[1], args[0])
	}
	start := time.Now()
	f, err := pipeline.Open(args[2], wf)
	if err != nil {
		return err
	}
	opened := time.Now()
	a, err := f.Analyze(wf, "")
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d pieces, %d pages; open %v, analyze %v\n", args[2], len(a.Pieces), a.Pages,
		opened.Sub(start).Round(time.Millisecond), time.Since(opened).Round(time.Millisecond))
	return nil
}
