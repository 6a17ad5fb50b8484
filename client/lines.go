package client

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// Lines lists the inserting lines: their folders' newest files and the
// runs not yet accounted for.
func (c *Client) Lines(ctx context.Context) ([]api.Line, error) {
	var ls []api.Line
	err := c.do(ctx, http.MethodGet, api.PathLines, nil, nil, &ls)
	return ls, err
}

// RunFiles are the manifests and result files of job id's run.
func (c *Client) RunFiles(ctx context.Context, id int64) (api.RunFiles, error) {
	var rf api.RunFiles
	err := c.do(ctx, http.MethodGet, api.RunFilesPath(id), nil, nil, &rf)
	return rf, err
}
