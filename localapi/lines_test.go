package localapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// TestLinesRoutes: the lines and a run's files are served as the backend
// answers them, through the typed client too; a missing job is a 404.
func TestLinesRoutes(t *testing.T) {
	h := localapi.NewHandler(localapitest.New(), zerolog.Nop())
	rec := do(h, "GET", "/v1/lines", "")
	var ls []api.Line
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &ls) != nil || len(ls) != 1 || ls[0].Name != "L1" || len(ls[0].Runs) != 1 || len(ls[0].Quarantined[0].Problems) != 1 {
		t.Errorf("GET lines: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, "GET", "/v1/jobs/9/files", ""); rec.Code != 404 {
		t.Errorf("GET files of a missing job: %d %s", rec.Code, rec.Body)
	}
	c := &client.Client{Socket: localapitest.Serve(t, localapitest.New())}
	rf, err := c.RunFiles(context.Background(), 1)
	if err != nil || rf.Line != "L1" || len(rf.Manifests) != 1 || len(rf.Results) != 1 || rf.Results[0].Events != 2 {
		t.Errorf("client RunFiles: %v %+v", err, rf)
	}
	if ls, err := c.Lines(context.Background()); err != nil || len(ls) != 1 {
		t.Errorf("client Lines: %v %+v", err, ls)
	}
}
