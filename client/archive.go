package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/omsd/omsd/api"
)

// maxPiece bounds the bytes of one archived piece the client reads.
const maxPiece = 4 << 30

// ArchiveSearch returns the archived pieces the conditions select
// (FIELD=VALUE, FIELD=PREFIX*, FIELD=LOW..HIGH, text=WORDS), sent in
// [from, to) when those are set.
func (c *Client) ArchiveSearch(ctx context.Context, conds []string, from, to time.Time, limit int) ([]api.ArchiveRecord, error) {
	q := url.Values{api.ParamQuery: conds}
	if !from.IsZero() {
		q.Set(api.ParamFrom, from.Format(time.RFC3339))
	}
	if !to.IsZero() {
		q.Set(api.ParamTo, to.Format(time.RFC3339))
	}
	if limit > 0 {
		q.Set(api.ParamLimit, strconv.Itoa(limit))
	}
	var recs []api.ArchiveRecord
	err := c.do(ctx, http.MethodGet, api.PathArchivePieces, q, nil, &recs)
	return recs, err
}

// ArchiveRecord returns an archived piece's record.
func (c *Client) ArchiveRecord(ctx context.Context, id string) (api.ArchiveRecord, error) {
	var r api.ArchiveRecord
	err := c.do(ctx, http.MethodGet, api.ArchivePiecePath(id), nil, nil, &r)
	return r, err
}

// ArchiveGet writes an archived piece's bytes, as sent, to w, checking
// them against the SHA-256 the daemon sends with them; it returns that
// digest.
func (c *Client) ArchiveGet(ctx context.Context, id string, w io.Writer) (string, error) {
	res, err := c.send(ctx, http.MethodGet, api.ArchivePiecePath(id)+"/data", nil, nil)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(res.Body, maxPiece)); err != nil {
		return "", fmt.Errorf("reading piece %s: %w", id, err)
	}
	got, want := hex.EncodeToString(h.Sum(nil)), res.Header.Get(api.HeaderSHA256)
	if got != want {
		return got, fmt.Errorf("piece %s: received bytes with SHA-256 %s, the archive recorded %s", id, got, want)
	}
	return got, nil
}

// ArchiveHolds lists the legal holds.
func (c *Client) ArchiveHolds(ctx context.Context) ([]api.ArchiveHold, error) {
	var hs []api.ArchiveHold
	err := c.do(ctx, http.MethodGet, api.PathArchiveHolds, nil, nil, &hs)
	return hs, err
}

// ArchiveHold places a legal hold.
func (c *Client) ArchiveHold(ctx context.Context, r api.ArchiveHoldRequest) (api.ArchiveHold, error) {
	var h api.ArchiveHold
	err := c.post(ctx, api.PathArchiveHolds, r, &h)
	return h, err
}

// ArchiveRelease ends a legal hold.
func (c *Client) ArchiveRelease(ctx context.Context, name string) (api.ArchiveHold, error) {
	var h api.ArchiveHold
	err := c.do(ctx, http.MethodDelete, api.ArchiveHoldPath(name), nil, nil, &h)
	return h, err
}

// ArchiveVerify recomputes the ledger chain and every segment and piece
// digest.
func (c *Client) ArchiveVerify(ctx context.Context) (api.ArchiveVerify, error) {
	var v api.ArchiveVerify
	err := c.post(ctx, api.PathArchiveVerify, struct{}{}, &v)
	return v, err
}

// ArchiveReindex rebuilds the archive's index from its segments.
func (c *Client) ArchiveReindex(ctx context.Context) (api.ArchiveReindex, error) {
	var r api.ArchiveReindex
	err := c.post(ctx, api.PathArchiveReindex, struct{}{}, &r)
	return r, err
}

// ArchiveExpire deletes the segments past retention and not held.
func (c *Client) ArchiveExpire(ctx context.Context) (api.ArchiveExpire, error) {
	var r api.ArchiveExpire
	err := c.post(ctx, api.PathArchiveExpire, struct{}{}, &r)
	return r, err
}

// ArchiveReprint prints archived pieces again.
func (c *Client) ArchiveReprint(ctx context.Context, r api.ArchiveReprintRequest) (api.ArchiveReprintResult, error) {
	var res api.ArchiveReprintResult
	err := c.post(ctx, api.PathArchiveReprint, r, &res)
	return res, err
}

// ArchiveExport exports archived pieces for another archive.
func (c *Client) ArchiveExport(ctx context.Context, r api.ArchiveExportRequest) (api.ArchiveExportResult, error) {
	var res api.ArchiveExportResult
	err := c.post(ctx, api.PathArchiveExport, r, &res)
	return res, err
}
