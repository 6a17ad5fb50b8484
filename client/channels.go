package client

import (
	"context"
	"net/http"

	"github.com/omsd/omsd/api"
)

// Deliveries lists job id's digital deliveries (e-mail, portal).
func (c *Client) Deliveries(ctx context.Context, id int64) (api.Deliveries, error) {
	var d api.Deliveries
	err := c.do(ctx, http.MethodGet, api.DeliveriesPath(id), nil, nil, &d)
	return d, err
}
