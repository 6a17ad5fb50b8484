package localapitest

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
)

// PeriodReport returns a report of job 1 alone over any window; kind
// "nosuch" fails with api.ErrBadRequest.
func (f *Backend) PeriodReport(ctx context.Context, q api.ReportQuery) (api.Report, error) {
	if q.Kind == "nosuch" {
		return api.Report{}, fmt.Errorf("%w: no report %q", api.ErrBadRequest, q.Kind)
	}
	row := api.ReportRow{Key: "total", Runs: 1, Jobs: []int64{1}, PiecesIn: 2, PagesIn: 3, SheetsIn: 2}
	return api.Report{Kind: q.Kind, From: q.From, To: q.To, By: q.By, Total: row}, nil
}

// Deadlines returns job 1 at risk.
func (f *Backend) Deadlines(ctx context.Context) ([]api.Deadline, error) {
	return []api.Deadline{{Job: 1, Name: "inv.pdf", Workflow: "invoices", Printer: "lp1", State: "pending",
		Deadline: T0, Predicted: T0.Add(3600e9), SheetsAhead: 120, SheetsPerMinute: 2, AtRisk: true}}, nil
}
