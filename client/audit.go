package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/omsd/omsd/api"
)

// Audit lists the audit trail of the network front ends that q selects.
func (c *Client) Audit(ctx context.Context, q api.AuditQuery) ([]api.AuditEntry, error) {
	v := url.Values{}
	if q.User != "" {
		v.Set(api.ParamUser, q.User)
	}
	if q.Action != "" {
		v.Set(api.ParamAction, q.Action)
	}
	if q.Limit > 0 {
		v.Set(api.ParamLimit, strconv.Itoa(q.Limit))
	}
	var out []api.AuditEntry
	err := c.do(ctx, http.MethodGet, api.PathAudit, v, nil, &out)
	return out, err
}

// Rejected lists the newest limit files of the error folder (0: the
// daemon's default).
func (c *Client) Rejected(ctx context.Context, limit int) ([]api.Rejected, error) {
	v := url.Values{}
	if limit > 0 {
		v.Set(api.ParamLimit, strconv.Itoa(limit))
	}
	var out []api.Rejected
	err := c.do(ctx, http.MethodGet, api.PathRejected, v, nil, &out)
	return out, err
}
