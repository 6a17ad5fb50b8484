package client

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

// Status describes the running daemon.
func (c *Client) Status(ctx context.Context) (api.Status, error) {
	var st api.Status
	err := c.do(ctx, http.MethodGet, api.PathStatus, nil, nil, &st)
	return st, err
}

// Jobs lists the jobs q selects: by default the active ones and the last
// finished ones (see api.JobQuery).
func (c *Client) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	v := url.Values{}
	if len(q.States) > 0 {
		v.Set(api.ParamState, strings.Join(q.States, ","))
	}
	if q.All {
		v.Set(api.ParamAll, "1")
	}
	if q.Limit != 0 {
		v.Set(api.ParamLimit, strconv.Itoa(q.Limit))
	}
	if q.Before != 0 {
		v.Set(api.ParamBefore, strconv.FormatInt(q.Before, 10))
	}
	var jobs []api.Job
	err := c.do(ctx, http.MethodGet, api.PathJobs, v, nil, &jobs)
	return jobs, err
}

// Job returns job id with its pieces and recent events.
func (c *Client) Job(ctx context.Context, id int64) (api.JobDetail, error) {
	var d api.JobDetail
	err := c.do(ctx, http.MethodGet, api.JobPath(id), nil, nil, &d)
	return d, err
}

// Preview returns the inserter marks of the sheets of piece seq of job
// id, with a PNG of them if withImage.
func (c *Client) Preview(ctx context.Context, id int64, seq int, withImage bool) (api.Preview, error) {
	q := url.Values{api.ParamPiece: {strconv.Itoa(seq)}}
	if withImage {
		q.Set(api.ParamImage, "1")
	}
	var p api.Preview
	err := c.do(ctx, http.MethodGet, api.PreviewPath(id), q, nil, &p)
	return p, err
}

// Plan returns the postage report of job id's planned mail run.
func (c *Client) Plan(ctx context.Context, id int64) (api.Plan, error) {
	var p api.Plan
	err := c.do(ctx, http.MethodGet, api.PlanPath(id), nil, nil, &p)
	return p, err
}

// Submit sends the print file read from r as a new job.
func (c *Client) Submit(ctx context.Context, opt api.SubmitOptions, r io.Reader) (api.Job, error) {
	q := url.Values{}
	if opt.Name != "" {
		q.Set(api.ParamName, opt.Name)
	}
	if opt.Workflow != "" {
		q.Set(api.ParamWorkflow, opt.Workflow)
	}
	if opt.Hold {
		q.Set(api.ParamHold, "1")
	}
	if r == nil {
		r = http.NoBody
	}
	var job api.Job
	err := c.do(ctx, http.MethodPost, api.PathJobs, q, r, &job)
	return job, err
}

// Hold holds job id: it is not dispatched until released.
func (c *Client) Hold(ctx context.Context, id int64) (api.Job, error) {
	return c.action(ctx, id, api.ActionHold)
}

// Release releases held job id.
func (c *Client) Release(ctx context.Context, id int64) (api.Job, error) {
	return c.action(ctx, id, api.ActionRelease)
}

// Cancel cancels job id.
func (c *Client) Cancel(ctx context.Context, id int64) (api.Job, error) {
	return c.action(ctx, id, api.ActionCancel)
}

func (c *Client) action(ctx context.Context, id int64, action string) (api.Job, error) {
	var job api.Job
	err := c.do(ctx, http.MethodPost, api.JobActionPath(id, action), nil, nil, &job)
	return job, err
}

// Printers lists the configured printers and their state.
func (c *Client) Printers(ctx context.Context) ([]api.Printer, error) {
	var ps []api.Printer
	err := c.do(ctx, http.MethodGet, api.PathPrinters, nil, nil, &ps)
	return ps, err
}
