package reports

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/loop"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// countingRuns counts the close-outs worked out.
type countingRuns struct {
	runs  RunReporter
	calls atomic.Int64
}

func (c *countingRuns) Report(ctx context.Context, id int64) (api.JobReport, error) {
	c.calls.Add(1)
	return c.runs.Report(ctx, id)
}

// TestSummariesGoStaleWhenTheRunChanges: on a real spool with the loop's
// close-outs, a finished run's summary spares the next report the
// close-out; a late confirmation, a change of configuration, a reprint and
// an acknowledgement each make it stale, and every report still adds up
// with the run's own job report.
func TestSummariesGoStaleWhenTheRunChanges(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	store, err := spool.Open(filepath.Join(cfg.StateDir, "spool"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	pub, err := events.NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	lp := loop.New(cfg, store, pub, nil, events.NewSignal(), zerolog.Nop())
	runs := &countingRuns{runs: lp}
	s := New(cfg, store, runs)
	ctx := context.Background()

	placed := func(seq int) spool.Piece {
		return spool.Piece{Seq: seq, Pages: 2, Placement: mailpiece.Place(seq, &mailpiece.EnvelopeClass{Product: "Standardbrief", Price: "0.95"})}
	}
	root, err := store.CreateJob(spool.Job{Name: "run.pdf", Workflow: "w", Printer: "p", Pieces: 3, Pages: 6, Sheets: 3,
		Outputs: []spool.Output{{Name: "main", Pieces: 3, Pages: 6, Sheets: 3, Sent: true, Seqs: []int{1, 2, 3}}}})
	if err != nil {
		t.Fatal(err)
	}
	must(t, store.SetPieces(root.ID, []spool.Piece{placed(1), placed(2), placed(3)}))
	must(t, store.ConfirmPieces(root.ID, []int{1, 2}, "p"))
	_, err = store.UpdateJob(root.ID, func(j *spool.Job) error { j.State = spool.Completed; return nil })
	must(t, err)

	// addsUp makes the report and checks it against the job report; want
	// is how many close-outs it must have worked out.
	addsUp := func(stage string, want int64) api.ReportRow {
		t.Helper()
		before := runs.calls.Load()
		rep, err := s.Report(ctx, api.ReportQuery{Kind: api.ReportPostage, From: root.Created.Add(-time.Hour), To: root.Created.Add(time.Hour)})
		if err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		if got := runs.calls.Load() - before; got != want {
			t.Errorf("%s: the report worked out %d close-outs; want %d", stage, got, want)
		}
		jr, err := lp.Report(ctx, root.ID)
		if err != nil {
			t.Fatal(err)
		}
		reprinted := 0
		for _, rp := range jr.Reprints {
			reprinted += rp.Pieces
		}
		tot := rep.Total
		if tot.Runs != 1 || tot.PiecesIn != jr.PiecesIn || tot.PagesIn != jr.PagesIn || tot.SheetsIn != jr.SheetsIn ||
			tot.PiecesOut != jr.PiecesOut || tot.PagesOut != jr.PagesOut || tot.SheetsOut != jr.SheetsOut ||
			tot.Envelopes != jr.Envelopes || tot.Reprints != len(jr.Reprints) || tot.ReprintedPieces != reprinted ||
			tot.PostageTotal != jr.PostageTotal {
			t.Errorf("%s: report %+v; the job report says %+v", stage, tot, jr)
		}
		return tot
	}
	if tot := addsUp("first report", 1); tot.PiecesOut != 2 || tot.PostageTotal != "2.85" {
		t.Errorf("first report: %d pieces out, postage %s; want 2 printed, 2.85", tot.PiecesOut, tot.PostageTotal)
	}
	addsUp("from the summary", 0)

	must(t, store.ConfirmPieces(root.ID, []int{3}, "p"))
	if tot := addsUp("after a late confirmation", 1); tot.PiecesOut != 3 {
		t.Errorf("after a late confirmation: %d pieces out; want 3", tot.PiecesOut)
	}
	addsUp("from the new summary", 0)

	// With a line for the workflow the close-out counts what the line
	// accounted for (nothing), not what was printed.
	cfg.Lines = []config.Line{{Name: "L1"}}
	cfg.Workflows = []config.Workflow{{Name: "w", Line: "L1"}}
	if tot := addsUp("under a configuration with a line", 1); tot.PiecesOut != 0 {
		t.Errorf("with a line: %d pieces out; want 0", tot.PiecesOut)
	}
	cfg.Lines, cfg.Workflows = nil, nil
	addsUp("back without the line", 1)

	child, err := store.CreateJob(spool.Job{Name: "reprint", Workflow: "w", Printer: "p", ReprintOf: root.ID, Generation: 1,
		Pieces: 1, Pages: 2, Sheets: 1, State: spool.Completed,
		Outputs: []spool.Output{{Name: "main", Pieces: 1, Pages: 2, Sheets: 1, Sent: true, Seqs: []int{2}}}})
	must(t, err)
	must(t, store.SetPieces(child.ID, []spool.Piece{placed(2)}))
	_, err = store.UpdateJob(root.ID, func(j *spool.Job) error {
		j.Loop = &spool.Loop{Line: "L1", State: spool.LoopClosed, Reprints: []int64{child.ID}, Alarms: []string{"envelope 2 inserted twice"}}
		return nil
	})
	must(t, err)
	if tot := addsUp("after a reprint", 1); tot.Reprints != 1 || tot.PagesOut != 8 || tot.PostageTotal != "3.80" {
		t.Errorf("after a reprint: %d reprints, %d pages out, postage %s; want 1, 8, 3.80", tot.Reprints, tot.PagesOut, tot.PostageTotal)
	}
	addsUp("from the summary with the reprint", 0)

	_, err = store.UpdateJob(root.ID, func(j *spool.Job) error {
		j.Loop.Alarms, j.Loop.Acknowledged = nil, []string{"envelope 2 inserted twice: checked"}
		return nil
	})
	must(t, err)
	addsUp("after an acknowledgement", 1)
	_, err = store.UpdateJob(child.ID, func(j *spool.Job) error { j.State = spool.Canceled; return nil })
	must(t, err)
	if tot := addsUp("after the reprint was canceled", 1); tot.PostageTotal != "2.85" {
		t.Errorf("after the reprint was canceled: postage %s; want 2.85 (a canceled reprint's envelopes cost nothing)", tot.PostageTotal)
	}
	addsUp("from the last summary", 0)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
