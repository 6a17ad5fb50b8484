package client

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// Report returns the close-out report of the run job id belongs to.
func (c *Client) Report(ctx context.Context, id int64) (api.JobReport, error) {
	var r api.JobReport
	err := c.do(ctx, http.MethodGet, api.ReportPath(id), nil, nil, &r)
	return r, err
}

// Track returns the history of piece seq of the run job id belongs to.
func (c *Client) Track(ctx context.Context, id int64, seq int) (api.Track, error) {
	var t api.Track
	err := c.do(ctx, http.MethodGet, api.TrackPath(id, seq), nil, nil, &t)
	return t, err
}

// Ack acknowledges the integrity alarms of job id's run with a reason; by
// names who does ("" for the daemon to decide).
func (c *Client) Ack(ctx context.Context, id int64, reason, by string) (api.Job, error) {
	var j api.Job
	err := c.post(ctx, api.JobActionPath(id, api.ActionAck), api.AlarmAck{Reason: reason, By: by}, &j)
	return j, err
}

// Reprint prints pieces of a run again as a reprint job.
func (c *Client) Reprint(ctx context.Context, id int64, r api.ReprintRequest) (api.ReprintResult, error) {
	var res api.ReprintResult
	err := c.post(ctx, api.JobActionPath(id, api.ActionReprint), r, &res)
	return res, err
}
