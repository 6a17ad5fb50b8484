package localapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// TestSubmitLimit: a submit over the limit is answered 413, whether its
// length is declared or only found while reading, and the backend keeps
// nothing of it; one at the limit is taken.
func TestSubmitLimit(t *testing.T) {
	const limit = 4096
	tests := []struct {
		name     string
		size     int
		declared bool // Content-Length set
		want     int
	}{
		{"declared over", limit + 1, true, http.StatusRequestEntityTooLarge},
		{"streamed over", limit * 3, false, http.StatusRequestEntityTooLarge},
		{"at the limit", limit, false, http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := localapitest.New()
			before, _ := b.Jobs(context.Background(), api.JobQuery{})
			h := localapi.NewHandler(b, zerolog.New(zerolog.NewTestWriter(t)), localapi.WithMaxUpload(limit))
			var body io.Reader = strings.NewReader(strings.Repeat("x", tt.size))
			if !tt.declared {
				body = io.MultiReader(body) // hides the length
			}
			req := httptest.NewRequest("POST", "/v1/jobs?name=big.pdf", body)
			if !tt.declared {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			jobs, _ := b.Jobs(context.Background(), api.JobQuery{})
			if tt.want != http.StatusCreated {
				var e api.Error
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, "4 KiB (api.max_upload)") {
					t.Errorf("error body %q (%v)", rec.Body, err)
				}
				if len(jobs) != len(before) {
					t.Errorf("a refused upload left jobs %+v", jobs)
				}
			} else if len(jobs) != len(before)+1 {
				t.Errorf("jobs after an upload at the limit: %+v", jobs)
			}
		})
	}
}

// TestActionBodyLimit: a job action's JSON body over 1 MiB is a 413.
func TestActionBodyLimit(t *testing.T) {
	h, _ := newHandler(t)
	rec := do(h, "POST", "/v1/jobs/1/move", `{"to": "`+strings.Repeat("x", 2<<20)+`"}`)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}
