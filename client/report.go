package client

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// PeriodReport returns the report q asks for over the runs of its window.
func (c *Client) PeriodReport(ctx context.Context, q api.ReportQuery) (api.Report, error) {
	var r api.Report
	err := c.do(ctx, http.MethodGet, api.ReportKindPath(q.Kind), q.Values(), nil, &r)
	return r, err
}

// Deadlines returns the active jobs with a deadline and their prediction.
func (c *Client) Deadlines(ctx context.Context) ([]api.Deadline, error) {
	var d []api.Deadline
	err := c.do(ctx, http.MethodGet, api.PathDeadlines, nil, nil, &d)
	return d, err
}
