package localapitest

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
)

// PrinterAction accepts the actions of api on printer lp1 and reports it
// paused after pause or drain; other printers are not found.
func (f *Backend) PrinterAction(ctx context.Context, name, action string) (api.Printer, error) {
	if name != "lp1" {
		return api.Printer{}, fmt.Errorf("%w: printer %q", api.ErrNotFound, name)
	}
	switch action {
	case api.PrinterPause, api.PrinterDrain:
		return api.Printer{Name: name, Paused: true}, nil
	case api.PrinterResume, api.PrinterEnable:
		return api.Printer{Name: name}, nil
	case api.PrinterDisable:
		return api.Printer{Name: name, Disabled: true}, nil
	}
	return api.Printer{}, fmt.Errorf("%w: action %q", api.ErrBadRequest, action)
}

// Move changes a job's printer to m.Target.
func (f *Backend) Move(ctx context.Context, id int64, m api.JobMove) (api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	j, ok := f.jobs[id]
	if !ok {
		return api.Job{}, fmt.Errorf("%w: job %d", api.ErrNotFound, id)
	}
	j.Printer = m.Target
	f.jobs[id] = j
	return j, nil
}

// Priority sets a job's priority.
func (f *Backend) Priority(ctx context.Context, id int64, p api.JobPriority) (api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	j, ok := f.jobs[id]
	if !ok {
		return api.Job{}, fmt.Errorf("%w: job %d", api.ErrNotFound, id)
	}
	j.Priority = p.Priority
	f.jobs[id] = j
	return j, nil
}

// Restart answers with one reprint output of the pieces asked for.
func (f *Backend) Restart(ctx context.Context, id int64, r api.JobRestart) (api.RestartResult, error) {
	j, err := f.get(id)
	if err != nil {
		return api.RestartResult{}, err
	}
	o := api.Output{Name: "reprint", Pieces: len(r.Pieces), Target: r.Target, Reprint: true}
	if r.FromPiece > 0 {
		o.Pieces, o.FirstSeq = j.Pieces-r.FromPiece+1, r.FromPiece
	}
	return api.RestartResult{Job: j, Outputs: []api.Output{o}}, nil
}
