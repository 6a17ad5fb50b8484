package metrics

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// TestDeadlinesAtRisk: with 6,000 sheets queued on the printer at the
// assumed 60 sheets a minute (100 minutes), a job due within the hour is at
// risk and one due within four hours is not; the one at risk gets one
// warning event however often it is checked, and the gauge counts it.
func TestDeadlinesAtRisk(t *testing.T) {
	var recorded []spool.Event
	live := fakeLive{printers: []api.Printer{{Name: "p1", State: "processing", QueuedSheets: 6000}}, recorded: &recorded}
	f := newFixture(t, live)
	urgent, err := f.store.CreateJob(spool.Job{Name: "u.pdf", Workflow: "urgent", Printer: "p1", State: spool.Pending})
	if err != nil {
		t.Fatal(err)
	}
	f.must(f.store.CreateJob(spool.Job{Name: "r.pdf", Workflow: "relaxed", Printer: "p1", State: spool.Pending}))
	f.must(f.store.CreateJob(spool.Job{Name: "n.pdf", Workflow: "letters", Printer: "p1", State: spool.Pending}))

	list, err := f.svc.Deadlines(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("deadlines %+v; want the urgent and the relaxed job", list)
	}
	for _, d := range list {
		if want := d.Job == urgent.ID; d.AtRisk != want {
			t.Errorf("job %d (%s): at risk %v; want %v (deadline %v, predicted %v)", d.Job, d.Workflow, d.AtRisk, want, d.Deadline, d.Predicted)
		}
		if d.SheetsAhead != 6000 || d.SheetsPerMinute != 60 {
			t.Errorf("job %d: %d sheets ahead at %v a minute; want 6000 at 60", d.Job, d.SheetsAhead, d.SheetsPerMinute)
		}
	}
	f.svc.checkDeadlines(context.Background())
	f.svc.checkDeadlines(context.Background())
	if len(recorded) != 1 || recorded[0].Job != urgent.ID || recorded[0].Reasons[0] != ReasonDeadlineAtRisk {
		t.Errorf("events recorded %+v; want one warning on job %d", recorded, urgent.ID)
	}
	// After a restart (a new service on the same spool, its event already
	// recorded) the job is not warned about again.
	for _, e := range recorded {
		f.event(e)
	}
	again, err := New(f.svc.config(), f.store, live, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	again.checkDeadlines(context.Background())
	if len(recorded) != 1 {
		t.Errorf("after a restart %d warnings; want the one from before", len(recorded))
	}
	want := `
# HELP omsd_jobs_at_risk Active jobs predicted to finish after their deadline.
# TYPE omsd_jobs_at_risk gauge
omsd_jobs_at_risk 1
# HELP omsd_deadline_at_risk_total Jobs found at risk of missing their deadline.
# TYPE omsd_deadline_at_risk_total counter
omsd_deadline_at_risk_total 1
`
	if err := testutil.GatherAndCompare(f.svc.Registry(), strings.NewReader(want), "omsd_jobs_at_risk", "omsd_deadline_at_risk_total"); err != nil {
		t.Error(err)
	}
}

// TestSpeedMeasured: a printer's speed comes from its transmissions: an
// output of 120 sheets confirmed a minute after it began is 120 sheets a
// minute.
func TestSpeedMeasured(t *testing.T) {
	f := newFixture(t, nil)
	j, err := f.store.CreateJob(spool.Job{Name: "a", State: spool.Processing, Outputs: []spool.Output{{Name: "main", Sheets: 120}}})
	if err != nil {
		t.Fatal(err)
	}
	t0 := j.Created
	f.event(spool.Event{Job: j.ID, Time: t0, Type: "info", Reasons: []string{"output-sending"}, Printer: "p1", Output: "main", Attempt: 1})
	f.event(spool.Event{Job: j.ID, Time: t0.Add(60e9), Type: "info", Reasons: []string{"output-sent"}, Printer: "p1", Output: "main", Attempt: 1})
	f.svc.CatchUp()
	if got := f.svc.speed("p1") * 60; got < 119.9 || got > 120.1 {
		t.Errorf("p1 measured at %v sheets a minute; want 120", got)
	}
	if got := f.svc.speed("p2") * 60; got != 60 {
		t.Errorf("p2, never measured: %v sheets a minute; want the assumed 60", got)
	}
}
