package pipeline

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/postage"
)

// Output is one print file ready for a device.
type Output struct {
	Name   string `json:"name"` // the plan's output name; "main" without a plan
	Path   string `json:"path"`
	Format string `json:"format"` // MIME type
	Pieces int    `json:"pieces"`
	Pages  int    `json:"pages"`
	Sheets int    `json:"sheets"`
	// Warnings are what the composition found wrong with the layout, such
	// as page content inside the marks' clear zones.
	Warnings []string `json:"warnings,omitempty"`
}

// Compose writes the output for pieces, in their order, to the file at
// output.
func (f *File) Compose(output string, pieces []mailpiece.Piece) (Output, error) {
	out := Output{Name: "main", Path: output, Format: f.MIME(), Pieces: len(pieces)}
	for _, p := range pieces {
		out.Pages += p.Pages
		out.Sheets += p.Sheets
		if f.addsBlankBack(p) {
			out.Pages++
		}
	}
	if f.marking != nil {
		warnings, err := f.composeMarked(output, pieces)
		if err != nil {
			return Output{}, fmt.Errorf("writing %s: %w", output, err)
		}
		out.Warnings = warnings
		return out, nil
	}
	if err := f.pf.write(output, pieces); err != nil {
		return Output{}, fmt.Errorf("writing %s: %w", output, err)
	}
	return out, nil
}

// addsBlankBack reports whether the output gets a blank page after piece
// p: marked duplex PDF gives a piece with an odd page count a blank back,
// so that the next piece starts on a sheet of its own.
func (f *File) addsBlankBack(p mailpiece.Piece) bool {
	_, isPDF := f.pf.(*pdfFile)
	return isPDF && f.marking != nil && f.marking.duplex && p.Pages%2 == 1
}

// Result is a print file taken through the pipeline: its pieces, the plan
// of its mail run when the workflow plans one, and its outputs.
type Result struct {
	Analysis
	Plan    *postage.Plan `json:"-"`
	Outputs []Output
}

// Plan opens and analyses a print file and plans its mail run when the
// workflow says so; nothing is written (a dry run).
func Plan(wf config.Workflow, input, sidecar string) (*File, Result, error) {
	return planJob(wf, Job{}, input, sidecar)
}

// Route decides a piece's channel before planning: print (or ""),
// email, portal, email+print or suppress. Pieces whose channel takes
// them out of the print run (email, portal, suppress) are not planned
// and not in any output.
type Route func(mailpiece.Piece) string

// PlanRouted is Plan with each piece's channel decided by route first
// (nil: every piece is printed).
func PlanRouted(wf config.Workflow, input, sidecar string, route Route) (*File, Result, error) {
	return planJob(wf, Job{Route: route}, input, sidecar)
}

// planJob is Plan for job, whose metadata the pieces take as defaults
// and whose route decides their channels before the run is planned.
func planJob(wf config.Workflow, job Job, input, sidecar string) (*File, Result, error) {
	f, err := Open(input, wf)
	if err != nil {
		return nil, Result{}, err
	}
	a, err := f.Analyze(wf, sidecar)
	if err != nil {
		return nil, Result{}, err
	}
	DefaultMeta(a.Pieces, job.Metadata)
	r := Result{Analysis: a}
	if job.Route != nil {
		routePieces(&r.Analysis, job.Route)
	}
	if wf.Postage != nil {
		if r.Plan, err = planRun(wf, &r.Analysis); err != nil {
			return nil, r, fmt.Errorf("%w: %w", ErrBadInput, err)
		}
	}
	return f, r, nil
}

// Prepare runs the whole of a print file's processing up to the device:
// open, find the pieces, plan the mail run (or put the pieces in the
// workflow's sort order) and write the outputs into dir, named
// output.EXT, or output-NAME.EXT for each output of a plan.
func Prepare(wf config.Workflow, input, sidecar, dir string) (Result, error) {
	return PrepareJob(wf, Job{}, input, sidecar, dir)
}

// Job is what the pipeline knows of the job it prepares.
type Job struct {
	ID string // the ID the marks' barcodes carry ({job})
	// Metadata is the job's own metadata (e.g. a network sender's
	// options): every piece's default for these fields.
	Metadata map[string]string
	// Route, if not nil, decides each piece's channel before planning;
	// a job whose every piece leaves the print run has no outputs.
	Route Route
}

// PrepareJob is Prepare for job.
func PrepareJob(wf config.Workflow, job Job, input, sidecar, dir string) (Result, error) {
	f, r, err := planJob(wf, job, input, sidecar)
	if err != nil {
		return r, err
	}
	f.Job = job.ID
	ext := "." + wf.Format
	outs := OutputsOf(wf, r)
	r.Outputs = make([]Output, len(outs))
	err = parallel(len(outs), func(i int) error {
		name := "output" + ext
		if r.Plan != nil {
			name = "output-" + outs[i].Name + ext
		}
		out, err := f.Compose(filepath.Join(dir, name), outs[i].Pieces)
		out.Name = outs[i].Name
		r.Outputs[i] = out
		return err
	})
	return r, err
}

// OutputPieces are the pieces of one output, in print order.
type OutputPieces struct {
	Name   string // the plan's output name; "main" without a plan
	Pieces []mailpiece.Piece
}

// OutputsOf is what a planned or analysed print file is printed as: the
// plan's outputs in name order, or without a plan one output "main" of
// the pieces in the workflow's sort order.
func OutputsOf(wf config.Workflow, r Result) []OutputPieces {
	if r.Plan == nil {
		printed := printedPieces(r.Pieces)
		if len(printed) == 0 {
			return nil
		}
		return []OutputPieces{{Name: "main", Pieces: Order(printed, wf.SortBy)}}
	}
	var outs []OutputPieces
	for _, np := range outputsOf(r.Plan, r.Pieces) {
		outs = append(outs, OutputPieces{Name: np.name, Pieces: np.pieces})
	}
	return outs
}

// parallel runs do(0), …, do(n-1), as many at once as there are CPUs, and
// returns the first error by index.
func parallel(n int, do func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = do(i)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
