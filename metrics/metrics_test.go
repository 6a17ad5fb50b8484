package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/spool"
	"github.com/omsd/omsd/spool/spooltest"
)

// fakeLive is the daemon as the scrape sees it.
type fakeLive struct {
	printers []api.Printer
	fs       []api.Filesystem
	saving   postage.Money
	recorded *[]spool.Event
	asked    *int // Printers calls
}

func (f fakeLive) Record(e spool.Event) {
	if f.recorded != nil {
		*f.recorded = append(*f.recorded, e)
	}
}

func (f fakeLive) Printers(context.Context) ([]api.Printer, error) {
	if f.asked != nil {
		*f.asked++
	}
	return f.printers, nil
}
func (f fakeLive) Filesystems() []api.Filesystem { return f.fs }
func (f fakeLive) Plan(context.Context, int64) (api.Plan, error) {
	return api.Plan{Report: postage.Report{Saving: f.saving}}, nil
}

// fixture is a spool with a publisher and a metrics service on it.
type fixture struct {
	t     *testing.T
	store *spool.Store
	pub   *events.Publisher
	svc   *Service
}

func newFixture(t *testing.T, live Live) *fixture {
	t.Helper()
	cfg := config.Default()
	cfg.Workflows = append(cfg.Workflows, config.Workflow{Name: "letters", Postage: &postage.Config{Carrier: "deutschepost"}},
		config.Workflow{Name: "urgent", Deadline: &config.WorkflowDeadline{Within: config.Duration(time.Hour)}},
		config.Workflow{Name: "relaxed", Deadline: &config.WorkflowDeadline{Within: config.Duration(4 * time.Hour)}})
	store := spooltest.New(t)
	pub, err := events.NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(cfg, store, live, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, store: store, pub: pub, svc: svc}
}

func (f *fixture) must(_ spool.Job, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) event(e spool.Event) {
	f.t.Helper()
	if _, err := f.store.AddEvent(e); err != nil {
		f.t.Fatal(err)
	}
}

// runJob takes a planned job of two envelopes (three letters) from intake
// to completion, failing once on p1 and failing over to p2.
func (f *fixture) runJob() int64 {
	j, err := f.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "letters", State: spool.Pending,
		StateReasons: []string{jobs.ReasonIncoming}, Source: "api"})
	if err != nil {
		f.t.Fatal(err)
	}
	pl := func(env int, price string) *mailpiece.Placement {
		return mailpiece.Place(env, &mailpiece.EnvelopeClass{Product: "Standardbrief", Price: price})
	}
	pieces := []spool.Piece{
		{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 1, Placement: pl(1, "0.95")},
		{Seq: 2, FirstPage: 3, Pages: 2, Sheets: 1, Placement: pl(1, "0.95")},
		{Seq: 3, FirstPage: 5, Pages: 2, Sheets: 1, Placement: pl(2, "0.8550")},
	}
	if err := f.store.SetPieces(j.ID, pieces); err != nil {
		f.t.Fatal(err)
	}
	f.must(f.pub.SetState(j.ID, spool.Pending, "queued", "job-queued"))
	f.must(f.pub.Update(j.ID, func(j *spool.Job) error {
		j.Pieces, j.Pages, j.Sheets = 3, 6, 3
		j.Outputs = []spool.Output{{Name: "main", Pieces: 3, Pages: 6, Sheets: 3}}
		j.StateReasons = []string{"job-queued-for-marker"}
		return nil
	}))
	f.must(f.pub.SetState(j.ID, spool.Processing, "sending", "job-printing"))
	out := func(reason, printer string, attempt int) {
		f.event(spool.Event{Job: j.ID, Type: "info", Reasons: []string{reason}, Printer: printer, Output: "main", Attempt: attempt})
	}
	out(events.ReasonOutputSending, "p1", 1)
	out(events.ReasonOutputFailed, "p1", 1)
	out(events.ReasonOutputSending, "p2", 2)
	out(events.ReasonOutputSent, "p2", 2)
	f.must(f.pub.SetState(j.ID, spool.Completed, "done", "job-completed-successfully"))
	return j.ID
}

// TestCountsFromTheEventLog: a job's run through the event log gives the
// volume, postage, send, retry and failover counters and one observation
// per stage; a job refused before analysis counts as an intake refusal.
func TestCountsFromTheEventLog(t *testing.T) {
	f := newFixture(t, fakeLive{saving: 9500})
	f.runJob()
	bad, err := f.pub.CreateJob(spool.Job{Name: "bad.pdf", Workflow: "letters", State: spool.Pending,
		StateReasons: []string{jobs.ReasonIncoming}, Source: "api"})
	if err != nil {
		t.Fatal(err)
	}
	f.must(f.pub.SetState(bad.ID, spool.Aborted, "not a PDF", "document-format-error"))
	f.event(spool.Event{Job: bad.ID, Type: "alarm", Reasons: []string{events.ReasonAlarmRaised}})
	f.event(spool.Event{Job: bad.ID, Type: "alarm", Reasons: []string{events.ReasonAlarmAcknowledged}})
	f.svc.ResultEvents("line1", spool.TrackInserted, 3)
	f.svc.Reprinted("line", 2)
	f.svc.CatchUp()

	want := `
# HELP omsd_pieces_total Mail pieces of the jobs that finished, by workflow and final job state.
# TYPE omsd_pieces_total counter
omsd_pieces_total{state="aborted",workflow="letters"} 0
omsd_pieces_total{state="completed",workflow="letters"} 3
# HELP omsd_envelopes_total Envelopes of the jobs that finished, by workflow and final job state.
# TYPE omsd_envelopes_total counter
omsd_envelopes_total{state="completed",workflow="letters"} 2
# HELP omsd_postage_spent_minor_units_total Postage of the envelopes of completed jobs, in minor currency units (cents), by carrier and product.
# TYPE omsd_postage_spent_minor_units_total counter
omsd_postage_spent_minor_units_total{carrier="deutschepost",product="Standardbrief"} 181
# HELP omsd_postage_saved_minor_units_total Postage the mail-run plan saved on completed runs, in minor currency units (cents), by carrier.
# TYPE omsd_postage_saved_minor_units_total counter
omsd_postage_saved_minor_units_total{carrier="deutschepost"} 95
# HELP omsd_printer_sends_total Transmissions of outputs begun, by printer.
# TYPE omsd_printer_sends_total counter
omsd_printer_sends_total{printer="p1"} 1
omsd_printer_sends_total{printer="p2"} 1
# HELP omsd_printer_send_failures_total Transmissions that failed, by printer.
# TYPE omsd_printer_send_failures_total counter
omsd_printer_send_failures_total{printer="p1"} 1
# HELP omsd_printer_retries_total Transmissions of an output after its first, by printer.
# TYPE omsd_printer_retries_total counter
omsd_printer_retries_total{printer="p2"} 1
# HELP omsd_printer_failovers_total Outputs that went on to another printer after being sent to this one.
# TYPE omsd_printer_failovers_total counter
omsd_printer_failovers_total{printer="p1"} 1
# HELP omsd_intake_refusals_total Jobs refused before they were analysed, by reason keyword.
# TYPE omsd_intake_refusals_total counter
omsd_intake_refusals_total{reason="document-format-error"} 1
# HELP omsd_integrity_alarms_total Integrity alarms raised (an envelope inserted twice).
# TYPE omsd_integrity_alarms_total counter
omsd_integrity_alarms_total 1
# HELP omsd_result_events_total Piece events read from the inserting lines' result files, by line and disposition.
# TYPE omsd_result_events_total counter
omsd_result_events_total{disposition="inserted",line="line1"} 3
# HELP omsd_reprinted_pieces_total Pieces of the reprint jobs queued, by reason (line, operator).
# TYPE omsd_reprinted_pieces_total counter
omsd_reprinted_pieces_total{reason="line"} 2
`
	names := []string{"omsd_pieces_total", "omsd_envelopes_total", "omsd_postage_spent_minor_units_total",
		"omsd_postage_saved_minor_units_total", "omsd_printer_sends_total", "omsd_printer_send_failures_total",
		"omsd_printer_retries_total", "omsd_printer_failovers_total", "omsd_intake_refusals_total",
		"omsd_integrity_alarms_total", "omsd_result_events_total", "omsd_reprinted_pieces_total"}
	if err := testutil.GatherAndCompare(f.svc.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	for _, stage := range []string{StageIntake, StageAnalysis, StageQueue, StageSend, StageTotal} {
		if got := histogramCount(t, f.svc, stage); got != 1 {
			t.Errorf("stage %s observed %d times; want 1 (the completed job)", stage, got)
		}
	}
	if len(f.svc.jobs) != 0 {
		t.Errorf("the service still tracks %d finished jobs", len(f.svc.jobs))
	}
}

// histogramCount is how many observations stage's histogram has.
func histogramCount(t *testing.T, s *Service, stage string) uint64 {
	t.Helper()
	mfs, err := s.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "omsd_job_stage_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "stage" && l.GetValue() == stage {
					return m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return 0
}

// TestEventsBeforeAreNotCounted: counters start at zero with the service;
// what the spool recorded before it was built is not counted.
func TestEventsBeforeAreNotCounted(t *testing.T) {
	f := newFixture(t, nil)
	f.runJob()
	svc, err := New(f.svc.config(), f.store, nil, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	svc.CatchUp()
	if n := testutil.CollectAndCount(svc.m.pieces); n != 0 {
		t.Errorf("%d piece series from events before the service", n)
	}
}

// TestScrapeGauges: jobs by state, the printers' queues and one-hot
// states, free space and open alarms are read at scrape time.
func TestScrapeGauges(t *testing.T) {
	live := fakeLive{
		printers: []api.Printer{{Name: "p1", State: "processing", Queued: 4, QueuedSheets: 120}, {Name: "p2", State: "idle", Paused: true}},
		fs:       []api.Filesystem{{Path: "/spool", Free: 1 << 30, MinFree: 16 << 20}},
	}
	f := newFixture(t, live)
	f.must(f.store.CreateJob(spool.Job{Name: "a", State: spool.Pending}))
	f.must(f.store.CreateJob(spool.Job{Name: "b", State: spool.Held, Loop: &spool.Loop{Alarms: []string{"envelope 3 inserted twice"}}}))
	want := `
# HELP omsd_jobs Jobs in the spool, by state.
# TYPE omsd_jobs gauge
omsd_jobs{state="aborted"} 0
omsd_jobs{state="canceled"} 0
omsd_jobs{state="completed"} 0
omsd_jobs{state="held"} 1
omsd_jobs{state="pending"} 1
omsd_jobs{state="processing"} 0
omsd_jobs{state="stopped"} 0
# HELP omsd_queue_depth Jobs waiting for the printer.
# TYPE omsd_queue_depth gauge
omsd_queue_depth{printer="p1"} 4
omsd_queue_depth{printer="p2"} 0
# HELP omsd_integrity_alarms_open Integrity alarms not yet acknowledged.
# TYPE omsd_integrity_alarms_open gauge
omsd_integrity_alarms_open 1
# HELP omsd_filesystem_free_bytes Free bytes of a filesystem omsd writes to.
# TYPE omsd_filesystem_free_bytes gauge
omsd_filesystem_free_bytes{path="/spool"} 1.073741824e+09
`
	if err := testutil.GatherAndCompare(f.svc.Registry(), strings.NewReader(want),
		"omsd_jobs", "omsd_queue_depth", "omsd_integrity_alarms_open", "omsd_filesystem_free_bytes"); err != nil {
		t.Error(err)
	}
	mfs, err := f.svc.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "omsd_printer_state" {
			continue
		}
		for _, m := range mf.GetMetric() {
			lv := map[string]string{}
			for _, l := range m.GetLabel() {
				lv[l.GetName()] = l.GetValue()
			}
			states[lv["printer"]+"/"+lv["state"]] = m.GetGauge().GetValue()
		}
	}
	if states["p1/processing"] != 1 || states["p2/paused"] != 1 || states["p2/idle"] != 0 || len(states) != 2*len(PrinterStates) {
		t.Errorf("printer states %v; want p1 processing, p2 paused, one series per state", states)
	}
}

// TestLint: what the registry gathers after a run passes the Prometheus
// naming lint (units in names, _total on counters, snake case).
func TestLint(t *testing.T) {
	f := newFixture(t, fakeLive{printers: []api.Printer{{Name: "p1", State: "idle"}}})
	f.runJob()
	f.svc.CatchUp()
	problems, err := testutil.GatherAndLint(f.svc.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "omsd_") {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
}

func TestMinorUnits(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{{"0.95", 95}, {"0.8550", 86}, {"0.8549", 85}, {"-0.8550", -86}, {"12", 1200}} {
		m, err := postage.ParseMoney(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := MinorUnits(m); got != c.want {
			t.Errorf("MinorUnits(%s) = %d; want %d", c.in, got, c.want)
		}
	}
}

// TestScrapesShareASnapshot: scrapes within snapshotAge of each other
// read the active jobs and ask the printers once.
func TestScrapesShareASnapshot(t *testing.T) {
	asked := 0
	f := newFixture(t, fakeLive{printers: []api.Printer{{Name: "p1", State: "idle"}}, asked: &asked})
	for range 3 {
		if _, err := f.svc.Registry().Gather(); err != nil {
			t.Fatal(err)
		}
	}
	if asked != 1 {
		t.Errorf("three scrapes asked the printers %d times; want once", asked)
	}
	f.svc.snapMu.Lock()
	f.svc.snap.at = f.svc.snap.at.Add(-snapshotAge)
	f.svc.snapMu.Unlock()
	f.svc.Registry().Gather()
	if asked != 2 {
		t.Errorf("a scrape after the snapshot aged did not read afresh (%d)", asked)
	}
}

// TestCompletedAgainAfterAHoldCountsOnce: a run held by an integrity alarm
// after it completed, and completed again when the alarm is acknowledged,
// counts its pieces once; a job restarted and printed again counts again.
func TestCompletedAgainAfterAHoldCountsOnce(t *testing.T) {
	f := newFixture(t, nil)
	id := f.runJob()
	f.must(f.pub.SetState(id, spool.Held, "integrity alarm", "job-hold-until-specified"))
	f.must(f.pub.SetState(id, spool.Completed, "alarm acknowledged", "job-completed-successfully"))
	f.svc.CatchUp()
	if got := testutil.ToFloat64(f.svc.m.pieces.WithLabelValues("letters", "completed")); got != 3 {
		t.Errorf("pieces %v after the hold and release; want 3", got)
	}
	f.must(f.pub.SetState(id, spool.Pending, "restarted", "job-queued"))
	f.must(f.pub.SetState(id, spool.Processing, "sending", "job-printing"))
	f.must(f.pub.SetState(id, spool.Completed, "done", "job-completed-successfully"))
	f.svc.CatchUp()
	if got := testutil.ToFloat64(f.svc.m.pieces.WithLabelValues("letters", "completed")); got != 6 {
		t.Errorf("pieces %v after a restart printed it again; want 6", got)
	}
}

// TestCompletionStage: a run through a line is timed from its completion
// until the line closed it.
func TestCompletionStage(t *testing.T) {
	f := newFixture(t, nil)
	j, err := f.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "letters", State: spool.Pending,
		StateReasons: []string{jobs.ReasonIncoming}, Loop: &spool.Loop{Line: "L1", State: spool.LoopOpen}})
	if err != nil {
		t.Fatal(err)
	}
	f.must(f.pub.SetState(j.ID, spool.Processing, "sending", "job-printing"))
	f.must(f.pub.SetState(j.ID, spool.Completed, "done", "job-completed-successfully"))
	f.svc.CatchUp()
	if got := histogramCount(t, f.svc, StageCompletion); got != 0 {
		t.Fatalf("completion observed %d times before the line closed the run", got)
	}
	f.event(spool.Event{Job: j.ID, Type: "info", Reasons: []string{events.ReasonRunClosed}})
	f.svc.CatchUp()
	if got := histogramCount(t, f.svc, StageCompletion); got != 1 {
		t.Errorf("completion observed %d times; want 1", got)
	}
	if len(f.svc.closing) != 0 {
		t.Errorf("%d runs still awaited", len(f.svc.closing))
	}
}
