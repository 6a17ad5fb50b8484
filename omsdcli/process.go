package omsdcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/pipeline"
)

// processResult is what `omsd process` reports.
type processResult struct {
	Input    string            `json:"input"`
	Workflow string            `json:"workflow"`
	Method   string            `json:"method"`
	Pieces   int               `json:"pieces"`
	Pages    int               `json:"pages"`
	Sheets   int               `json:"sheets"`
	Printer  string            `json:"printer"`
	Outcome  string            `json:"outcome"`
	Error    string            `json:"error,omitempty"`
	Outputs  []pipeline.Output `json:"outputs"`
	Seconds  float64           `json:"seconds"`
}

func runProcess(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("omsd process", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration file (default: the embedded default)")
	wfName := fs.String("workflow", "", "workflow (default: the first in the configuration)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: omsd process [--config FILE] [--workflow W] [--json] INPUT")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *wfName == "" {
		*wfName = cfg.Workflows[0].Name
	}
	wf, ok := cfg.Workflow(*wfName)
	if !ok {
		return fmt.Errorf("workflow %q is not configured", *wfName)
	}
	log, err := newLogger(cfg.Log, stderr)
	if err != nil {
		return err
	}
	printer, err := pipeline.OpenPrinter(cfg, wf.Printer, log)
	if err != nil {
		return err
	}
	if pc, _ := cfg.Printer(wf.Printer); pc.File != nil {
		if err := os.MkdirAll(cfg.Path(pc.File.Dir), 0o755); err != nil {
			return err
		}
	}
	start := time.Now()
	res, err := process(ctx, fs.Arg(0), wf, printer)
	res.Seconds = time.Since(start).Seconds()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		printSummary(stdout, res)
	}
	return err
}

func process(ctx context.Context, input string, wf config.Workflow, printer *pipeline.Printer) (processResult, error) {
	res := processResult{Input: input, Workflow: wf.Name, Printer: printer.Name, Outputs: []pipeline.Output{}}
	fail := func(err error) (processResult, error) {
		res.Error = err.Error()
		return res, err
	}
	tmp, err := os.MkdirTemp("", "omsd-process-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	a, out, err := pipeline.Prepare(wf, input, pipeline.FindSidecar(input), filepath.Join(tmp, "output."+wf.Format))
	res.Method, res.Pieces, res.Pages, res.Sheets = a.Method, len(a.Pieces), a.Pages, a.Sheets
	if err != nil {
		return fail(err)
	}
	doc := drivers.Document{Path: out.Path, Name: filepath.Base(input), Format: out.Format, Pages: out.Pages, Sheets: out.Sheets}
	outcome, err := printer.Send(ctx, doc, nil)
	res.Outcome = outcome.String()
	out.Path = printer.URI
	res.Outputs = append(res.Outputs, out)
	if err == nil && outcome != drivers.OK {
		err = fmt.Errorf("printer %s: %s", printer.Name, outcome)
	}
	if err != nil {
		return fail(err)
	}
	return res, nil
}

func printSummary(w io.Writer, r processResult) {
	fmt.Fprintf(w, "input:    %s (workflow %s)\n", r.Input, r.Workflow)
	if r.Method != "" {
		fmt.Fprintf(w, "pieces:   %d (found by %s)\npages:    %d\nsheets:   %d\n", r.Pieces, r.Method, r.Pages, r.Sheets)
	}
	for _, o := range r.Outputs {
		fmt.Fprintf(w, "output:   %d pieces, %d pages, %d sheets -> %s %s (%s)\n", o.Pieces, o.Pages, o.Sheets, r.Printer, o.Path, r.Outcome)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "error:    %s\n", r.Error)
	}
	fmt.Fprintf(w, "took:     %.2fs\n", r.Seconds)
}
