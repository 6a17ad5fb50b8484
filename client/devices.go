package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/omsd/omsd/api"
)

// PrinterAction pauses, resumes, enables, disables or drains printer name
// (api.PrinterPause, ...).
func (c *Client) PrinterAction(ctx context.Context, name, action string) (api.Printer, error) {
	var p api.Printer
	err := c.do(ctx, http.MethodPost, api.PrinterActionPath(name, action), nil, nil, &p)
	return p, err
}

// Move sends job id's unsent outputs to target, a printer or pool.
func (c *Client) Move(ctx context.Context, id int64, target string) (api.Job, error) {
	var j api.Job
	err := c.post(ctx, api.JobActionPath(id, api.ActionMove), api.JobMove{Target: target}, &j)
	return j, err
}

// Priority sets job id's dispatch priority.
func (c *Client) Priority(ctx context.Context, id int64, prio int) (api.Job, error) {
	var j api.Job
	err := c.post(ctx, api.JobActionPath(id, api.ActionPriority), api.JobPriority{Priority: prio}, &j)
	return j, err
}

// Restart queues pieces of job id to be printed again: from a piece on,
// exactly some pieces, or the unconfirmed ones; optionally on another
// printer or pool. This is also how a closed-loop reprint is submitted.
func (c *Client) Restart(ctx context.Context, id int64, r api.JobRestart) (api.RestartResult, error) {
	var res api.RestartResult
	err := c.post(ctx, api.JobActionPath(id, api.ActionRestart), r, &res)
	return res, err
}

// post sends body as JSON and decodes the answer into out.
func (c *Client) post(ctx context.Context, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, path, nil, bytes.NewReader(b), out)
}
