package localapitest

import (
	"context"

	"github.com/omsd/omsd/api"
)

// Lines answers line L1 with a manifest of job 1, a result file applied,
// one quarantined with its problem, and job 1's run open.
func (f *Backend) Lines(ctx context.Context) ([]api.Line, error) {
	run, err := f.Report(ctx, 1)
	if err != nil {
		return nil, err
	}
	return []api.Line{{Name: "L1", ManifestDir: "line/in", ManifestLayout: "jaf", ResultDir: "line/results", ResultLayout: "jrf",
		DoneDir: "line/results/done", ErrorDir: "line/results/error",
		Manifests:   []api.LineFile{{Name: "job000001-main.txt", Size: 2048, Time: T0, Job: 1}},
		Waiting:     []api.LineFile{},
		Applied:     []api.LineFile{{Name: "a.jrf", Size: 512, Time: T0}},
		Quarantined: []api.LineFile{{Name: "b.jrf", Size: 40, Time: T0, Problems: []string{"line 2: job 9 is not known"}, Next: "fix the lines listed and drop only those into the result folder again"}},
		Runs:        []api.JobReport{run}}}, nil
}

// RunFiles answers job 1's manifest and result file a.jrf for any job.
func (f *Backend) RunFiles(ctx context.Context, id int64) (api.RunFiles, error) {
	if _, err := f.get(id); err != nil {
		return api.RunFiles{}, err
	}
	return api.RunFiles{Job: id, Line: "L1", Manifests: []api.LineFile{{Name: "job000001-main.txt", Size: 2048, Time: T0, Job: 1}},
		Results: []api.RunResultFile{{Name: "a.jrf", Events: 2, First: T0, Last: T0}}}, nil
}
