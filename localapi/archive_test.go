package localapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// archiveBackend is the fake backend with an archive of one piece, 1-1-0.
type archiveBackend struct {
	*localapitest.Backend
	conds    []string
	from, to time.Time
}

func (b *archiveBackend) ArchiveSearch(_ context.Context, conds []string, from, to time.Time, _ int) ([]api.ArchiveRecord, error) {
	b.conds, b.from, b.to = conds, from, to
	return []api.ArchiveRecord{{ID: "1-1-0"}}, nil
}

func (b *archiveBackend) ArchiveRecord(_ context.Context, id string) (api.ArchiveRecord, error) {
	if id != "1-1-0" {
		return api.ArchiveRecord{}, fmt.Errorf("piece %s: %w", id, api.ErrNotFound)
	}
	return api.ArchiveRecord{ID: id, SHA256: "abc"}, nil
}

func (b *archiveBackend) ArchiveData(ctx context.Context, id string) ([]byte, api.ArchiveRecord, error) {
	r, err := b.ArchiveRecord(ctx, id)
	return []byte("%PDF-1.7 piece"), r, err
}

func (b *archiveBackend) ArchiveHolds(context.Context) ([]api.ArchiveHold, error) { return nil, nil }
func (b *archiveBackend) ArchiveHold(_ context.Context, r api.ArchiveHoldRequest) (api.ArchiveHold, error) {
	return api.ArchiveHold{Name: r.Name, Pieces: r.Pieces}, nil
}
func (b *archiveBackend) ArchiveRelease(context.Context, string) (api.ArchiveHold, error) {
	return api.ArchiveHold{}, api.ErrNotFound
}
func (b *archiveBackend) ArchiveVerify(context.Context) (api.ArchiveVerify, error) {
	return api.ArchiveVerify{}, nil
}
func (b *archiveBackend) ArchiveReindex(context.Context) (api.ArchiveReindex, error) {
	return api.ArchiveReindex{}, nil
}
func (b *archiveBackend) ArchiveExpire(context.Context) (api.ArchiveExpire, error) {
	return api.ArchiveExpire{}, nil
}
func (b *archiveBackend) ArchiveReprint(context.Context, api.ArchiveReprintRequest) (api.ArchiveReprintResult, error) {
	return api.ArchiveReprintResult{}, nil
}
func (b *archiveBackend) ArchiveExport(context.Context, api.ArchiveExportRequest) (api.ArchiveExportResult, error) {
	return api.ArchiveExportResult{}, nil
}

func TestArchiveRoutes(t *testing.T) {
	b := &archiveBackend{Backend: localapitest.New()}
	h := localapi.NewHandler(b, zerolog.New(zerolog.NewTestWriter(t)))
	for _, c := range []struct {
		method, target, body string
		want                 int
		has                  string
	}{
		{"GET", "/v1/archive/pieces?q=account%3D4711&q=text%3Dweiss&from=2026-03-01T00:00:00Z", "", 200, `"id":"1-1-0"`},
		{"GET", "/v1/archive/pieces?from=yesterday", "", 400, "RFC 3339"},
		{"GET", "/v1/archive/pieces?limit=-1", "", 400, "limit"},
		{"GET", "/v1/archive/pieces/1-1-0", "", 200, `"sha256":"abc"`},
		{"GET", "/v1/archive/pieces/9-9-0", "", 404, "not found"},
		{"GET", "/v1/archive/pieces/1-1-0/data", "", 200, "%PDF-1.7 piece"},
		{"POST", "/v1/archive/holds", `{"name":"h","pieces":["1-1-0"]}`, 200, `"name":"h"`},
		{"POST", "/v1/archive/holds", `{"nom":"h"}`, 400, "unknown field"},
		{"DELETE", "/v1/archive/holds/h", "", 404, "not found"},
		{"POST", "/v1/archive/verify", "", 200, "ledger_entries"},
		{"DELETE", "/v1/archive/verify", "", 405, "not allowed"},
	} {
		rec := do(h, c.method, c.target, c.body)
		if rec.Code != c.want || !strings.Contains(rec.Body.String(), c.has) {
			t.Errorf("%s %s = %d %s; want %d with %q", c.method, c.target, rec.Code, rec.Body, c.want, c.has)
		}
	}
	if want := []string{"account=4711", "text=weiss"}; strings.Join(b.conds, " ") != strings.Join(want, " ") || b.from.IsZero() {
		t.Errorf("search got %v from %v", b.conds, b.from)
	}
	rec := do(h, "GET", "/v1/archive/pieces/1-1-0/data", "")
	if rec.Header().Get(api.HeaderSHA256) != "abc" || rec.Header().Get("Content-Type") != "application/octet-stream" {
		t.Errorf("data headers %v", rec.Header())
	}
	// A backend without an archive serves no archive routes.
	plain, _ := newHandler(t)
	if rec := do(plain, "GET", "/v1/archive/pieces", ""); rec.Code != http.StatusNotFound {
		t.Errorf("without an archive: %d", rec.Code)
	}
}
