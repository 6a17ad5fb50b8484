package ctl

import (
	"context"
	"fmt"
	"io"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/pipeline"
)

// runInspect: omsctl inspect FILE [--json] [--all] [--format F] [--method M]
// [--duplex] [--config F --workflow W], or omsctl inspect --fields FILE
// [--json]. It works offline, without omsd.
func runInspect(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("inspect", inspectUsage)
	asJSON := fs.Bool("json", false, "print the inspection as JSON")
	fields := fs.Bool("fields", false, "dump the structured fields of an AFP file")
	all := fs.Bool("all", false, "list every piece (the table shows the first 20)")
	format := fs.String("format", "", "the file's format (default: detected)")
	method := fs.String("method", "", "how to find pieces: auto, sidecar, bookmarks, fixed, whole, ... (default: the workflow's, else auto)")
	duplex := fs.Bool("duplex", false, "count sheets as printed duplex")
	cfgPath := fs.String("config", "", "an omsd configuration whose workflow settings to use")
	wfName := fs.String("workflow", "", "the workflow in --config (default: the first)")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("inspect", pos, "FILE"); err != nil {
		return err
	}
	if *fields {
		return runFieldDump(e.stdout, pos[0], *asJSON)
	}
	wf, err := inspectWorkflow(*cfgPath, *wfName)
	if err != nil {
		return err
	}
	if *format != "" {
		wf.Format = *format
	}
	if *method != "" {
		wf.Pieces.Method = *method
	}
	wf.Duplex = wf.Duplex || *duplex
	limit := listedPieces
	if *all {
		limit = -1
	}
	return inspectFile(e.stdout, pos[0], wf, *asJSON, limit)
}

// inspectFile prints what omsd would find in the print file at path: AFP
// straight from its index, PDF through the pipeline.
func inspectFile(w io.Writer, path string, wf config.Workflow, asJSON bool, limit int) error {
	var err error
	if wf.Format == "" {
		if wf.Format, err = pipeline.DetectFormat(path); err != nil {
			return err
		}
	}
	if wf.Format == "afp" {
		in, err := inspectAFP(path, wf)
		if err != nil {
			return err
		}
		if asJSON {
			return in.writeJSON(w)
		}
		return in.printText(w, limit)
	}
	in, err := pipeline.Inspect(path, wf, pipeline.FindSidecar(path))
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(w, inspection(in))
	}
	return printInspection(w, in, limit)
}

// listedPieces is how many pieces the table shows without --all: a run of
// 200,000 pieces is for --json and tools, not for a terminal.
const listedPieces = 20

const inspectUsage = "FILE [--json] [--all] [--format pdf|afp] [--method M] [--duplex] [--config F --workflow W] | --fields FILE [--json]"

// inspectWorkflow returns the workflow settings to inspect with: from a
// configuration file, or none (format detected, pieces found automatically).
func inspectWorkflow(path, name string) (config.Workflow, error) {
	if path == "" {
		return config.Workflow{}, nil
	}
	c, err := config.Load(path)
	if err != nil {
		return config.Workflow{}, err
	}
	if name == "" {
		name = c.Workflows[0].Name
	}
	wf, ok := c.Workflow(name)
	if !ok {
		return wf, fmt.Errorf("workflow %q is not in %s", name, path)
	}
	return wf, nil
}

// inspectionJSON is the --json document; pieces use the API's names.
type inspectionJSON struct {
	File   string      `json:"file"`
	Format string      `json:"format"`
	Pages  int         `json:"pages"`
	Sheets int         `json:"sheets"`
	Method string      `json:"method"`
	Pieces []api.Piece `json:"pieces"`
}

func inspection(in pipeline.Inspection) inspectionJSON {
	out := inspectionJSON{File: in.File, Format: in.Format, Pages: in.Pages, Sheets: in.Sheets, Method: in.Method, Pieces: []api.Piece{}}
	for _, p := range in.Pieces {
		out.Pieces = append(out.Pieces, api.Piece{Seq: p.Seq, Name: p.Name, FirstPage: p.FirstPage, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta.Map(), Plan: p.Placement})
	}
	return out
}

// printInspection prints the summary and the first limit pieces (all
// with limit < 0).
func printInspection(w io.Writer, in pipeline.Inspection, limit int) error {
	fmt.Fprintf(w, "file    %s\nformat  %s\npages   %d\nsheets  %d\npieces  %d (found by %s)\n\n", in.File, in.Format, in.Pages, in.Sheets, len(in.Pieces), in.Method)
	pieces := inspection(in).Pieces
	shown := len(pieces)
	if limit >= 0 {
		shown = min(shown, limit)
	}
	if err := printPieces(w, pieces[:shown]); err != nil {
		return err
	}
	morePieces(w, len(pieces)-shown)
	return nil
}
