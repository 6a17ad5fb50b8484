package localapi_test

import (
	"encoding/json"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi/localapitest"
)

func TestAuditListing(t *testing.T) {
	h, _ := newHandler(t)
	for target, want := range map[string]int{"/v1/audit": len(localapitest.AuditEntries), "/v1/audit?user=bob": 1, "/v1/audit?limit=1": 1, "/v1/audit?action=login": 0} {
		rec := do(h, "GET", target, "")
		var got []api.AuditEntry
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || got == nil || len(got) != want {
			t.Errorf("%s: %d %s; want %d entries", target, rec.Code, rec.Body, want)
		}
	}
	if rec := do(h, "GET", "/v1/audit?limit=x", ""); rec.Code != 400 {
		t.Errorf("limit=x: %d", rec.Code)
	}
}

func TestRejectedListing(t *testing.T) {
	h, _ := newHandler(t)
	rec := do(h, "GET", "/v1/rejected", "")
	var got []api.Rejected
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got) != len(localapitest.RejectedFiles) {
		t.Errorf("rejected: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, "GET", "/v1/rejected?limit=-1", ""); rec.Code != 400 {
		t.Errorf("limit=-1: %d", rec.Code)
	}
}
