package loop

import (
	"context"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/spool"
)

// TestReportWithoutLine: the close-out of a print-only run (its workflow
// and printer name no inserting line) says it has no line and counts the
// pieces the printer confirmed, not a line's results.
func TestReportWithoutLine(t *testing.T) {
	cfg := testConfig(t) // workflow default: printer file, no line
	s, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.store.Close()
	j, err := s.store.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Completed, Pieces: 3})
	if err != nil {
		t.Fatal(err)
	}
	s.store.SetPieces(j.ID, []spool.Piece{{Seq: 1, Pages: 1, Sheets: 1}, {Seq: 2, Pages: 1, Sheets: 1}, {Seq: 3, Pages: 1, Sheets: 1}})
	if err := s.store.ConfirmPieces(j.ID, []int{1, 2}, "file"); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Report(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.NoLine || rep.PiecesOut != 2 || rep.PiecesPrinted != 2 || !slices.Equal(rep.Unaccounted, []int{3}) ||
		rep.Status[statusPrinted] != 2 || rep.Status[statusNotPrinted] != 1 || rep.Status[statusOpen] != 0 {
		t.Errorf("report %+v; want no line, 2 pieces printed, piece 3 not", rep)
	}
}

// TestReportCountsDigitalDeliveries: a piece e-mailed or dropped into
// the portal is resolved, one that fell back to print is resolved here
// (its fallback job accounts for the paper), and the report counts the
// pieces by channel.
func TestReportCountsDigitalDeliveries(t *testing.T) {
	cfg := testConfig(t)
	s, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.store.Close()
	j, err := s.store.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Completed, Pieces: 5})
	if err != nil {
		t.Fatal(err)
	}
	s.store.SetPieces(j.ID, []spool.Piece{{Seq: 1, Pages: 1, Sheets: 1}, {Seq: 2, Pages: 1, Sheets: 1, Channel: "email"},
		{Seq: 3, Pages: 1, Sheets: 1, Channel: "portal"}, {Seq: 4, Pages: 1, Sheets: 1, Channel: "email"}, {Seq: 5, Pages: 1, Sheets: 1, Channel: "email"}})
	s.store.ConfirmPieces(j.ID, []int{1}, "file")
	s.store.AddTrackEvents([]spool.TrackEntry{
		{Root: j.ID, Seq: 2, Event: spool.PieceEvent{Kind: spool.TrackEmailed, Job: j.ID}},
		{Root: j.ID, Seq: 3, Event: spool.PieceEvent{Kind: spool.TrackPortalDelivered, Job: j.ID}},
		{Root: j.ID, Seq: 4, Event: spool.PieceEvent{Kind: spool.TrackFellBack, Job: j.ID}},
	})
	rep, err := s.Report(context.Background(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.PiecesOut != 4 || !slices.Equal(rep.Unaccounted, []int{5}) || rep.Status[statusDelivered] != 2 || rep.Status[statusFellBack] != 1 {
		t.Errorf("report %+v; want pieces 1-4 out (printed, 2 delivered, 1 fell back), piece 5 not", rep)
	}
	if rep.Channels["email"] != 3 || rep.Channels["portal"] != 1 || rep.Channels["print"] != 1 {
		t.Errorf("channels %v; want email 3, portal 1, print 1", rep.Channels)
	}
}
