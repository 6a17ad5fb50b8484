package pipeline

import (
	"fmt"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
)

// Output is one print file ready for a device.
type Output struct {
	Path   string `json:"path"`
	Format string `json:"format"` // MIME type
	Pieces int    `json:"pieces"`
	Pages  int    `json:"pages"`
	Sheets int    `json:"sheets"`
}

// Compose writes the output for pieces, in their order, to the file at
// output.
func (f *File) Compose(output string, pieces []mailpiece.Piece) (Output, error) {
	out := Output{Path: output, Format: f.MIME(), Pieces: len(pieces)}
	for _, p := range pieces {
		out.Pages += p.Pages
		out.Sheets += p.Sheets
	}
	if err := f.pf.write(output, pieces); err != nil {
		return Output{}, fmt.Errorf("writing %s: %w", output, err)
	}
	return out, nil
}

// Prepare runs the whole of a print file's processing up to the device:
// open, find the pieces, put them in print order and write the output.
func Prepare(wf config.Workflow, input, sidecar, output string) (Analysis, Output, error) {
	f, err := Open(input, wf)
	if err != nil {
		return Analysis{}, Output{}, err
	}
	a, err := f.Analyze(wf, sidecar)
	if err != nil {
		return a, Output{}, err
	}
	out, err := f.Compose(output, Order(a.Pieces, wf.SortBy))
	return a, out, err
}
