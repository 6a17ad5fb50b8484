package reports

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/spool"
)

// fakeStore holds jobs by ascending ID, as the spool's pages return them.
type fakeStore struct {
	jobs   []spool.Job
	events map[int64][]spool.Event
}

func (f *fakeStore) JobPage(before int64, limit int, _ ...spool.State) ([]spool.Job, error) {
	var page []spool.Job
	for i := len(f.jobs) - 1; i >= 0 && len(page) < limit; i-- {
		if before <= 0 || f.jobs[i].ID < before {
			page = append([]spool.Job{f.jobs[i]}, page...)
		}
	}
	return page, nil
}
func (f *fakeStore) Pieces(int64) ([]spool.Piece, error)       { return nil, nil }
func (f *fakeStore) JobEvents(id int64) ([]spool.Event, error) { return f.events[id], nil }

// The fake keeps no summaries: every report works each run out.
func (f *fakeStore) RunChanges([]int64) (map[int64]uint64, error)   { return map[int64]uint64{}, nil }
func (f *fakeStore) RunSummaries([]int64) (map[int64][]byte, error) { return map[int64][]byte{}, nil }
func (f *fakeStore) PutRunSummaries([]spool.RunSummary) error       { return nil }
func (f fakeRuns) Report(_ context.Context, id int64) (api.JobReport, error) {
	r, ok := f[id]
	if !ok {
		return r, fmt.Errorf("job %d: %w", id, api.ErrNotFound)
	}
	return r, nil
}

type fakeRuns map[int64]api.JobReport

// history is 240 runs of 10 pieces, one every hour from 2026-11-02
// 00:00 UTC, alternately of workflows a (due within the hour, completed
// after 90 minutes) and b; every tenth has a reprint job of 2 pieces.
func history(t *testing.T) (*Service, time.Time) {
	t.Helper()
	t0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	st := &fakeStore{events: map[int64][]spool.Event{}}
	runs := fakeRuns{}
	id := int64(0)
	for i := range 240 {
		id++
		created := t0.Add(time.Duration(i) * time.Hour)
		wf := []string{"a", "b"}[i%2]
		st.jobs = append(st.jobs, spool.Job{ID: id, Workflow: wf, Printer: "p" + wf, State: spool.Completed, Created: created,
			Metadata: map[string]string{"customer": fmt.Sprintf("c%d", i%3)}})
		st.events[id] = []spool.Event{{Type: "state", State: spool.Completed, Time: created.Add(90 * time.Minute)}}
		rep := api.JobReport{Job: id, PiecesIn: 10, PagesIn: 20, SheetsIn: 10, PiecesOut: 10, PagesOut: 20, SheetsOut: 10, Envelopes: 10,
			Postage: []api.ProductPostage{{Product: "Standardbrief", Envelopes: 10, Postage: "9.50"}}}
		if i%10 == 0 {
			id++
			st.jobs = append(st.jobs, spool.Job{ID: id, Workflow: wf, State: spool.Completed, Created: created.Add(time.Minute), ReprintOf: id - 1})
			rep.Reprints = []api.ReprintSummary{{Job: id, Pieces: 2}}
			rep.ReprintPostage = []api.ProductPostage{{Product: "Standardbrief", Envelopes: 2, Postage: "1.90"}}
		}
		runs[rep.Job] = rep
	}
	cfg := config.Default()
	cfg.Workflows = []config.Workflow{{Name: "a", Deadline: &config.WorkflowDeadline{Within: config.Duration(time.Hour)}}, {Name: "b"}}
	s := New(cfg, st, runs)
	s.loc = time.UTC
	return s, t0
}

// TestReportWindowAndGroups: only the runs that arrived in the window
// count, reprints with their run; rows by day, week, workflow add up to
// the total; the SLA reads the completion time against the deadline.
func TestReportWindowAndGroups(t *testing.T) {
	s, t0 := history(t)
	ctx := context.Background()
	q := api.ReportQuery{Kind: api.ReportVolumes, From: t0.AddDate(0, 0, 1), To: t0.AddDate(0, 0, 3), By: api.ByDay}
	rep, err := s.Report(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Runs != 48 || rep.Total.PiecesIn != 480 || len(rep.Rows) != 2 || rep.Rows[0].Key != "2026-11-03" || rep.Rows[1].Runs != 24 {
		t.Fatalf("two days: total %+v, rows %d", rep.Total, len(rep.Rows))
	}
	for _, by := range []string{api.ByWeek, api.ByWorkflow, api.ByPrinter, api.ByCustomer, ""} {
		q := api.ReportQuery{Kind: api.ReportPostage, From: t0, To: t0.AddDate(0, 0, 50), By: by}
		rep, err := s.Report(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		runs, reprints := 0, 0
		for _, r := range rep.Rows {
			runs += r.Runs
			reprints += r.Reprints
		}
		if rep.Total.Runs != 240 || rep.Total.Reprints != 24 || rep.Total.ReprintedPieces != 48 || rep.Total.PostageTotal != "2325.60" {
			t.Errorf("by %q: total %d runs, %d reprints of %d pieces, postage %s; want 240, 24 of 48, 2325.60",
				by, rep.Total.Runs, rep.Total.Reprints, rep.Total.ReprintedPieces, rep.Total.PostageTotal)
		}
		if by != "" && (runs != 240 || reprints != 24) {
			t.Errorf("by %q: rows add up to %d runs, %d reprints", by, runs, reprints)
		}
		if by == api.ByWeek && rep.Rows[0].Key != "2026-W45" {
			t.Errorf("first week %q; want 2026-W45", rep.Rows[0].Key)
		}
		if by == api.ByCustomer && (len(rep.Rows) != 3 || rep.Rows[2].Key != "c2" || rep.Rows[2].Runs != 80) {
			t.Errorf("by customer: %d rows, last %q of %d runs; want c0, c1, c2 of 80", len(rep.Rows), rep.Rows[len(rep.Rows)-1].Key, rep.Rows[len(rep.Rows)-1].Runs)
		}
	}
	sla, err := s.Report(ctx, api.ReportQuery{Kind: api.ReportSLA, From: t0, To: t0.Add(4 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if tot := sla.Total; tot.Runs != 4 || tot.Deadlines != 2 || tot.Missed != 2 || tot.Met != 0 {
		t.Errorf("sla %+v; want 2 of 4 runs with a deadline (workflow a), both missed (done after 90 of 60 minutes)", tot)
	}
	if rp, _ := s.Report(ctx, api.ReportQuery{Kind: api.ReportReprints, From: t0, To: t0.Add(time.Hour)}); rp.Total.ReprintRate != 20 {
		t.Errorf("reprint rate %v; want 20 (2 of 10 pieces)", rp.Total.ReprintRate)
	}
}

func TestReportRefusesBadQueries(t *testing.T) {
	s, t0 := history(t)
	for _, q := range []api.ReportQuery{
		{Kind: "nosuch", From: t0, To: t0.Add(time.Hour)},
		{Kind: api.ReportVolumes, From: t0, To: t0.Add(time.Hour), By: "recipient"},
		{Kind: api.ReportVolumes, From: t0, To: t0},
	} {
		if _, err := s.Report(context.Background(), q); !errors.Is(err, api.ErrBadRequest) {
			t.Errorf("%+v: %v; want ErrBadRequest", q, err)
		}
	}
}
