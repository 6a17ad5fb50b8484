// Package reports makes omsd's production reports from its history:
// volumes, postage, reprints and deadlines (SLA) of the runs that arrived
// in a window, by day, week, workflow or printer. Each figure is the sum
// of the runs' own close-out reports (the loop's job report), so a report
// always adds up with `omsctl job report` of its runs; the SLA is read
// from the runs' deadlines and the time their jobs completed. A finished
// run's close-out figures are kept in the spool as a small summary the
// next report reads instead, until the run changes again.
//
// The history is the spool's, kept per spool.retention: a run whose data
// retention removed still counts with what its record keeps.
package reports

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/spool"
)

// Store is what the reports read of the spool.
type Store interface {
	JobPage(before int64, limit int, states ...spool.State) ([]spool.Job, error)
	Pieces(id int64) ([]spool.Piece, error)
	JobEvents(id int64) ([]spool.Event, error)
	RunChanges(roots []int64) (map[int64]uint64, error)
	RunSummaries(roots []int64) (map[int64][]byte, error)
	PutRunSummaries(list []spool.RunSummary) error
}

// run is the first job of a run, as the reports keep it.
type run struct {
	spool.Job
	hasLoop bool // the run goes through an inserting line's loop
}

// RunReporter gives a run's close-out report; the loop is one.
type RunReporter interface {
	Report(ctx context.Context, id int64) (api.JobReport, error)
}

// pageSize is how many jobs one read of the spool takes.
const pageSize = 500

// Service answers report queries.
type Service struct {
	cfg    *config.Config
	store  Store
	runs   RunReporter
	loc    *time.Location // days and times of day are the daemon's
	nowFor func() time.Time
}

// New returns the reports of store's history, with runs' close-outs.
func New(cfg *config.Config, store Store, runs RunReporter) *Service {
	return &Service{cfg: cfg, store: store, runs: runs, loc: time.Local, nowFor: time.Now}
}

// Report makes the report q asks for.
func (s *Service) Report(ctx context.Context, q api.ReportQuery) (api.Report, error) {
	if err := check(q); err != nil {
		return api.Report{}, err
	}
	rep := api.Report{Kind: q.Kind, From: q.From, To: q.To, By: q.By, Rows: []api.ReportRow{}}
	runs, err := s.runsIn(q.From, q.To)
	if err != nil {
		return api.Report{}, err
	}
	rows, total, err := s.sum(ctx, q.By, runs, s.nowFor())
	if err != nil {
		return api.Report{}, err
	}
	for _, r := range rows {
		finish(r)
		rep.Rows = append(rep.Rows, *r)
	}
	sort.Slice(rep.Rows, func(i, k int) bool { return rep.Rows[i].Key < rep.Rows[k].Key })
	finish(&total)
	rep.Total = total
	if q.By == "" {
		rep.Rows = nil
	}
	return rep, nil
}

// check refuses a query that names no kind or grouping omsd knows.
func check(q api.ReportQuery) error {
	if !slices.Contains(api.ReportKinds, q.Kind) {
		return fmt.Errorf("%w: no report %q; ask for one of %v", api.ErrBadRequest, q.Kind, api.ReportKinds)
	}
	if q.By != "" && !slices.Contains(api.ReportGroupings, q.By) {
		return fmt.Errorf("%w: cannot group by %q; use one of %v", api.ErrBadRequest, q.By, api.ReportGroupings)
	}
	if q.From.IsZero() || q.To.IsZero() || !q.From.Before(q.To) {
		return fmt.Errorf("%w: the window from %s to %s is empty; give --from before --to", api.ErrBadRequest,
			q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	return nil
}

// runsIn lists the first job of every run that arrived in [from, to),
// by ascending ID. Job IDs grow with arrival, so the walk from the newest
// stops at the first page that starts before from.
func (s *Service) runsIn(from, to time.Time) ([]run, error) {
	var runs []run
	before := int64(0)
	for {
		page, err := s.store.JobPage(before, pageSize)
		if err != nil {
			return nil, err
		}
		for i := len(page) - 1; i >= 0; i-- {
			j := page[i]
			if j.ReprintOf == 0 && !j.Created.Before(from) && j.Created.Before(to) {
				// Keep what grouping and the deadline read, not the
				// outputs' piece lists: a window may hold many runs.
				r := run{Job: j, hasLoop: j.Loop != nil}
				r.Outputs, r.Loop, r.Warnings, r.Intake, r.StateReasons = nil, nil, nil, nil, nil
				runs = append(runs, r)
			}
		}
		if len(page) < pageSize || page[0].Created.Before(from) {
			break
		}
		before = page[0].ID
	}
	slices.Reverse(runs)
	return runs, nil
}

// sum adds up the runs' close-outs and deadlines by group, on as many
// workers as there are CPUs (the spool's reads run side by side), each
// with rows of its own, merged at the end. A finished run's close-out is
// read from its stored summary; one without a valid summary is worked
// out and its summary stored for the next report.
func (s *Service) sum(ctx context.Context, by string, runs []run, now time.Time) (map[string]*api.ReportRow, api.ReportRow, error) {
	type part struct {
		rows  map[string]*api.ReportRow
		total api.ReportRow
		keep  []spool.RunSummary
		err   error
	}
	stored, err := s.summaries(runs)
	if err != nil {
		return nil, api.ReportRow{}, err
	}
	var todo []int64
	for _, j := range runs {
		if _, ok := stored[j.ID]; !ok {
			todo = append(todo, j.ID)
		}
	}
	changes, err := s.store.RunChanges(todo) // before the close-outs read the runs
	if err != nil {
		return nil, api.ReportRow{}, err
	}
	parts := make([]part, runtime.GOMAXPROCS(0))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range parts {
		p := &parts[w]
		p.rows = map[string]*api.ReportRow{}
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(runs) || ctx.Err() != nil {
					return
				}
				j := runs[i]
				sum, ok := stored[j.ID]
				if !ok {
					var keep *spool.RunSummary
					var err error
					if sum, keep, err = s.closeOut(ctx, j.ID, changes[j.ID]); err != nil {
						p.err = fmt.Errorf("job %d: %w", j.ID, err)
						next.Store(int64(len(runs))) // the others stop too
						return
					}
					if keep != nil {
						p.keep = append(p.keep, *keep)
					}
				}
				sla := s.sla(j.Job, now)
				key := s.key(by, j.Job)
				if p.rows[key] == nil {
					p.rows[key] = &api.ReportRow{Key: key}
				}
				add(p.rows[key], j.ID, sum, sla)
				add(&p.total, j.ID, sum, sla)
			}
		})
	}
	wg.Wait()
	rows := map[string]*api.ReportRow{}
	total := api.ReportRow{Key: "total"}
	var errs []error
	var keep []spool.RunSummary
	for _, p := range parts {
		errs = append(errs, p.err)
		keep = append(keep, p.keep...)
		for key, r := range p.rows {
			if rows[key] == nil {
				rows[key] = &api.ReportRow{Key: key}
			}
			merge(rows[key], r)
		}
		merge(&total, &p.total)
	}
	if err := errors.Join(append(errs, ctx.Err())...); err != nil {
		return nil, total, err
	}
	// The summaries only spare the next report work: this one is right
	// without them, so a failure to store them fails nothing.
	_ = s.store.PutRunSummaries(keep)
	return rows, total, nil
}

// merge adds the runs of src into dst.
func merge(dst, src *api.ReportRow) {
	dst.Runs += src.Runs
	dst.Jobs = append(dst.Jobs, src.Jobs...)
	dst.PiecesIn += src.PiecesIn
	dst.PagesIn += src.PagesIn
	dst.SheetsIn += src.SheetsIn
	dst.PiecesOut += src.PiecesOut
	dst.PagesOut += src.PagesOut
	dst.SheetsOut += src.SheetsOut
	dst.Envelopes += src.Envelopes
	dst.Postage = mergePostage(dst.Postage, src.Postage)
	dst.Reprints += src.Reprints
	dst.ReprintedPieces += src.ReprintedPieces
	dst.Deadlines += src.Deadlines
	dst.Met += src.Met
	dst.Missed += src.Missed
	dst.Open += src.Open
}

// key is the group of run j.
func (s *Service) key(by string, j spool.Job) string {
	t := j.Created.In(s.loc)
	switch by {
	case api.ByDay:
		return t.Format(time.DateOnly)
	case api.ByWeek:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case api.ByWorkflow:
		return j.Workflow
	case api.ByPrinter:
		return j.Printer
	case api.ByCustomer:
		return j.Metadata[api.CustomerField]
	}
	return "total"
}

// add counts run id's close-out and deadline into r.
func add(r *api.ReportRow, id int64, sum summary, sla slaState) {
	run := api.ReportRow{Runs: 1, PiecesIn: sum.PiecesIn, PagesIn: sum.PagesIn, SheetsIn: sum.SheetsIn,
		PiecesOut: sum.PiecesOut, PagesOut: sum.PagesOut, SheetsOut: sum.SheetsOut, Envelopes: sum.Envelopes,
		Postage: sum.Postage, Reprints: sum.Reprints, ReprintedPieces: sum.ReprintedPieces}
	switch sla {
	case slaMet:
		run.Deadlines, run.Met = 1, 1
	case slaMissed:
		run.Deadlines, run.Missed = 1, 1
	case slaOpen:
		run.Deadlines, run.Open = 1, 1
	}
	merge(r, &run)
	r.Jobs = append(r.Jobs, id)
}

// finish works out a row's totals and rate once its runs are added.
func finish(r *api.ReportRow) {
	var sum postage.Money
	for _, p := range r.Postage {
		m, _ := postage.ParseMoney(p.Postage)
		sum += m
	}
	r.PostageTotal = sum.String()
	if r.Postage == nil {
		r.Postage = []api.ProductPostage{}
	}
	if r.Jobs == nil {
		r.Jobs = []int64{}
	}
	slices.Sort(r.Jobs)
	if r.PiecesIn > 0 {
		r.ReprintRate = math.Round(float64(r.ReprintedPieces)*1000/float64(r.PiecesIn)) / 10
	}
}

// mergePostage adds the product lines to the row's, by product.
func mergePostage(row []api.ProductPostage, lines ...[]api.ProductPostage) []api.ProductPostage {
	for _, ls := range lines {
		for _, l := range ls {
			i := slices.IndexFunc(row, func(p api.ProductPostage) bool { return p.Product == l.Product })
			if i < 0 {
				row = append(row, api.ProductPostage{Product: l.Product, Postage: "0.00"})
				i = len(row) - 1
			}
			a, _ := postage.ParseMoney(row[i].Postage)
			b, _ := postage.ParseMoney(l.Postage)
			row[i].Envelopes += l.Envelopes
			row[i].Postage = (a + b).String()
		}
	}
	sort.Slice(row, func(i, k int) bool { return row[i].Product < row[k].Product })
	return row
}
