package localapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/omsd/omsd/api"
)

// ArchiveBackend is the archive's side of the API, served when the
// Backend has it too.
type ArchiveBackend interface {
	ArchiveSearch(ctx context.Context, conds []string, from, to time.Time, limit int) ([]api.ArchiveRecord, error)
	ArchiveRecord(ctx context.Context, id string) (api.ArchiveRecord, error)
	// ArchiveData returns piece id's bytes as sent, and its record.
	ArchiveData(ctx context.Context, id string) ([]byte, api.ArchiveRecord, error)
	ArchiveHolds(ctx context.Context) ([]api.ArchiveHold, error)
	ArchiveHold(ctx context.Context, r api.ArchiveHoldRequest) (api.ArchiveHold, error)
	ArchiveRelease(ctx context.Context, name string) (api.ArchiveHold, error)
	ArchiveVerify(ctx context.Context) (api.ArchiveVerify, error)
	ArchiveReindex(ctx context.Context) (api.ArchiveReindex, error)
	ArchiveExpire(ctx context.Context) (api.ArchiveExpire, error)
	ArchiveReprint(ctx context.Context, r api.ArchiveReprintRequest) (api.ArchiveReprintResult, error)
	ArchiveExport(ctx context.Context, r api.ArchiveExportRequest) (api.ArchiveExportResult, error)
}

// archiveRoutes are the archive's routes, none if b has no archive.
func (h *handler) archiveRoutes(b Backend) []route {
	ab, ok := b.(ArchiveBackend)
	if !ok {
		return nil
	}
	return []route{
		{http.MethodGet, api.PathArchivePieces, h.archiveSearch(ab)},
		{http.MethodGet, api.PathArchivePieces + "/{id}", h.archiveRecord(ab)},
		{http.MethodGet, api.PathArchivePieces + "/{id}/data", h.archiveData(ab)},
		{http.MethodGet, api.PathArchiveHolds, noBody(h, ab.ArchiveHolds)},
		{http.MethodPost, api.PathArchiveHolds, withBody(h, ab.ArchiveHold)},
		{http.MethodDelete, api.PathArchiveHolds + "/{name}", h.archiveRelease(ab)},
		{http.MethodPost, api.PathArchiveVerify, noBody(h, ab.ArchiveVerify)},
		{http.MethodPost, api.PathArchiveReindex, noBody(h, ab.ArchiveReindex)},
		{http.MethodPost, api.PathArchiveExpire, noBody(h, ab.ArchiveExpire)},
		{http.MethodPost, api.PathArchiveReprint, withBody(h, ab.ArchiveReprint)},
		{http.MethodPost, api.PathArchiveExport, withBody(h, ab.ArchiveExport)},
	}
}

func (h *handler) archiveSearch(ab ArchiveBackend) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var from, to time.Time
		var err error
		for _, p := range []struct {
			name string
			t    *time.Time
		}{{api.ParamFrom, &from}, {api.ParamTo, &to}} {
			if v := q.Get(p.name); v != "" {
				if *p.t, err = time.Parse(time.RFC3339, v); err != nil {
					writeError(w, http.StatusBadRequest, (&paramError{p.name, v, "want an RFC 3339 time, e.g. 2026-03-03T00:00:00Z"}).Error())
					return
				}
			}
		}
		limit := 0
		if v := q.Get(api.ParamLimit); v != "" {
			if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
				writeError(w, http.StatusBadRequest, (&paramError{api.ParamLimit, v, "want a count"}).Error())
				return
			}
		}
		recs, err := ab.ArchiveSearch(r.Context(), q[api.ParamQuery], from, to, limit)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, recs)
	}
}

func (h *handler) archiveRecord(ab ArchiveBackend) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, err := ab.ArchiveRecord(r.Context(), r.PathValue("id"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, rec)
	}
}

func (h *handler) archiveData(ab ArchiveBackend) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data, rec, err := ab.ArchiveData(r.Context(), r.PathValue("id"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Header().Set(api.HeaderSHA256, rec.SHA256)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data)
	}
}

func (h *handler) archiveRelease(ab ArchiveBackend) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hold, err := ab.ArchiveRelease(r.Context(), r.PathValue("name"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, hold)
	}
}

// noBody serves fn's answer.
func noBody[R any](h *handler, fn func(context.Context) (R, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		res, err := fn(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}

// withBody decodes the request's JSON body for fn and serves its answer.
func withBody[B, R any](h *handler, fn func(context.Context, B) (R, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := decodeBody[B](w, r)
		if !ok {
			return
		}
		res, err := fn(r.Context(), body)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}
