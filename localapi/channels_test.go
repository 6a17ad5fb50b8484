package localapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// channelsBackend is the test backend with digital deliveries for job 1.
type channelsBackend struct{ *localapitest.Backend }

func (channelsBackend) Deliveries(_ context.Context, id int64) (api.Deliveries, error) {
	if id != 1 {
		return api.Deliveries{}, fmt.Errorf("job %d: %w", id, api.ErrNotFound)
	}
	return api.Deliveries{Job: 1, States: map[string]int{"delivered": 1},
		Deliveries: []api.Delivery{{Seq: 2, Channel: "email", State: "delivered", MessageID: "m@x"}}}, nil
}

// TestDeliveriesRoute: a backend with the digital channels serves a
// job's deliveries (404 for a job it does not know); one without them
// has no such endpoint.
func TestDeliveriesRoute(t *testing.T) {
	h := localapi.NewHandler(channelsBackend{localapitest.New()}, zerolog.Nop())
	rec := do(h, "GET", "/v1/jobs/1/deliveries", "")
	var d api.Deliveries
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &d) != nil || len(d.Deliveries) != 1 || d.Deliveries[0].MessageID != "m@x" {
		t.Errorf("GET deliveries: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, "GET", "/v1/jobs/9/deliveries", ""); rec.Code != 404 {
		t.Errorf("GET deliveries of a missing job: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, "POST", "/v1/jobs/1/deliveries", ""); rec.Code != 405 {
		t.Errorf("POST deliveries: %d", rec.Code)
	}
	plain, _ := newHandler(t)
	if rec := do(plain, "GET", "/v1/jobs/1/deliveries", ""); rec.Code != 404 {
		t.Errorf("a backend without channels: %d %s", rec.Code, rec.Body)
	}
}
