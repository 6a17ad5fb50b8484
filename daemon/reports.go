package daemon

import (
	"context"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/reports"
)

// Statistics: the reports from the history (the loop's close-outs of the
// runs) and the deadlines the metrics service predicts.

func (b backend) PeriodReport(ctx context.Context, q api.ReportQuery) (api.Report, error) {
	return reports.New(b.d.cfg, b.d.store, b.d.loop).Report(ctx, q)
}

func (b backend) Deadlines(ctx context.Context) ([]api.Deadline, error) {
	return b.d.metrics.Deadlines(ctx)
}
