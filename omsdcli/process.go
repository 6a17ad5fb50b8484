package omsdcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/omsd/omsd/channels"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/postage"
)

// processResult is what `omsd process` reports.
type processResult struct {
	Input    string          `json:"input"`
	Workflow string          `json:"workflow"`
	Method   string          `json:"method"`
	Pieces   int             `json:"pieces"`
	Pages    int             `json:"pages"`     // of the input
	PagesOut int             `json:"pages_out"` // of the outputs sent, blank backs included
	Sheets   int             `json:"sheets"`
	Printer  string          `json:"printer"`
	Run      int64           `json:"run,omitempty"` // the run's number: its outputs' names and the marks' job ID
	Outcome  string          `json:"outcome,omitempty"`
	Error    string          `json:"error,omitempty"`
	Outputs  []processOutput `json:"outputs"`
	Warnings []string        `json:"warnings,omitempty"`
	Plan     *postage.Report `json:"plan,omitempty"`
	DryRun   bool            `json:"dry_run,omitempty"`
	Seconds  float64         `json:"seconds"`
}

// processFlags are the options of `omsd process`.
type processFlags struct {
	cfgPath, wfName string
	asJSON, dryRun  bool
	force           bool
}

func runProcess(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("omsd process", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var pf processFlags
	fs.StringVar(&pf.cfgPath, "config", "", "configuration file (default: the embedded default)")
	fs.StringVar(&pf.wfName, "workflow", "", "workflow (default: the first in the configuration)")
	fs.BoolVar(&pf.asJSON, "json", false, "print the summary as JSON")
	fs.BoolVar(&pf.dryRun, "dry-run", false, "analyse and plan only: print the plan and its postage report, write and send nothing")
	fs.BoolVar(&pf.force, "force", false, "replace an output file of the same name a file printer already holds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: omsd process [--config FILE] [--workflow W] [--json] [--dry-run] [--force] INPUT")
	}
	cfg, err := loadConfig(pf.cfgPath)
	if err != nil {
		return err
	}
	if pf.wfName == "" {
		pf.wfName = cfg.Workflows[0].Name
	}
	wf, ok := cfg.Workflow(pf.wfName)
	if !ok {
		return fmt.Errorf("workflow %q is not configured", pf.wfName)
	}
	log, err := newLogger(cfg.Log, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	var res processResult
	if pf.dryRun {
		res, err = dryRun(fs.Arg(0), wf)
	} else {
		res, err = processFile(ctx, newSender(cfg, log, pf.force), wf, fs.Arg(0))
	}
	res.Seconds = time.Since(start).Seconds()
	if pf.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		printSummary(stdout, res)
	}
	return err
}

// dryRun analyses and plans input without writing or sending anything.
func dryRun(input string, wf config.Workflow) (processResult, error) {
	res := processResult{Input: input, Workflow: wf.Name, Printer: wf.Printer, DryRun: true, Outputs: []processOutput{}}
	route, err := channels.Route(wf)
	if err != nil {
		res.Error = err.Error()
		return res, err
	}
	_, r, err := pipeline.PlanRouted(wf, input, pipeline.FindSidecar(input), route)
	res.fill(r)
	if err != nil {
		res.Error = err.Error()
	}
	return res, err
}

func (res *processResult) fill(r pipeline.Result) {
	res.Method, res.Pieces, res.Pages, res.Sheets = r.Method, len(r.Pieces), r.Pages, r.Sheets
	res.Warnings = r.Warnings
	if r.Plan != nil {
		res.Plan = &r.Plan.Report
	}
}

func printSummary(w io.Writer, r processResult) {
	fmt.Fprintf(w, "input:    %s (workflow %s)\n", r.Input, r.Workflow)
	if r.Method != "" {
		fmt.Fprintf(w, "pieces:   %d (found by %s)\npages:    %d\nsheets:   %d\n", r.Pieces, r.Method, r.Pages, r.Sheets)
	}
	if r.Run != 0 {
		fmt.Fprintf(w, "run:      %d\n", r.Run)
	}
	if r.PagesOut > r.Pages {
		fmt.Fprintf(w, "printed:  %d pages (%d blank backs added)\n", r.PagesOut, r.PagesOut-r.Pages)
	}
	for _, o := range r.Outputs {
		fmt.Fprintf(w, "output:   %s: %d pieces, %d pages, %d sheets -> %s %s (%s)\n", o.Name, o.Pieces, o.Pages, o.Sheets, o.Printer, o.Path, o.Outcome)
	}
	for _, warning := range r.Warnings {
		fmt.Fprintf(w, "warning:  %s\n", warning)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "error:    %s\n", r.Error)
	}
	fmt.Fprintf(w, "took:     %.2fs\n", r.Seconds)
	if r.Plan != nil {
		fmt.Fprintln(w)
		r.Plan.WriteText(w)
	}
}
