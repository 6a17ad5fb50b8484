package client

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// Reload has the daemon read its configuration file again and apply it.
// A file with problems is refused (api.ErrBadRequest, every problem in the
// message) and the running configuration stays.
func (c *Client) Reload(ctx context.Context) (api.Reload, error) {
	var r api.Reload
	err := c.do(ctx, http.MethodPost, api.PathReload, nil, nil, &r)
	return r, err
}
