package analysis

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/spool"
	"github.com/omsd/omsd/spool/spooltest"
)

// TestPlanWithoutPostage: asking for the plan of a job whose workflow has
// no postage section says so and how to turn planning on, not "not found".
func TestPlanWithoutPostage(t *testing.T) {
	store := spooltest.New(t)
	j, err := store.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", State: spool.Completed})
	if err != nil {
		t.Fatal(err)
	}
	s := New(config.Default(), store, nil, nil, nil, nil, nil, zerolog.Nop())
	_, err = s.Plan(context.Background(), j.ID)
	if !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("plan: %v; want api.ErrNotFound for the API", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "not found") || !strings.Contains(msg, "no postage planning") || !strings.Contains(msg, "postage:") {
		t.Errorf("plan: %q; want the workflow's lack of planning and how to turn it on, without \"not found\"", msg)
	}
}
