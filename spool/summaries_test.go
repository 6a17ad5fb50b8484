package spool

import (
	"testing"
	"time"
)

// TestRunSummariesGoStale: every write that can change what a run's
// close-out reads counts a change of the run (a reprint job's writes
// count for its run), and a stored summary is handed back only while the
// run has not changed since it was made; another run's writes leave it be.
func TestRunSummariesGoStale(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	root := mustCreate(t, s, Job{Name: "run.pdf", Pieces: 2})
	other := mustCreate(t, s, Job{Name: "other.pdf"})
	var child Job
	changes := func() uint64 {
		t.Helper()
		c, err := s.RunChanges([]int64{root.ID})
		if err != nil {
			t.Fatal(err)
		}
		return c[root.ID]
	}
	keep := func() {
		t.Helper()
		if err := s.PutRunSummaries([]RunSummary{{Root: root.ID, Changes: changes(), Data: []byte(`{"n":1}`)}}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.RunSummaries([]int64{root.ID, other.ID}); err != nil || string(got[root.ID]) != `{"n":1}` || len(got) != 1 {
			t.Fatalf("summaries just stored: %v, %v", got, err)
		}
	}
	steps := []struct {
		name   string
		change func() error
		stale  bool
	}{
		{"another run's job changes", func() error {
			_, err := s.UpdateJob(other.ID, func(j *Job) error { j.State = Completed; return nil })
			return err
		}, false},
		{"another run's histories", func() error {
			return s.AddTrackEvents([]TrackEntry{{Root: other.ID, Seq: 1, Event: PieceEvent{Kind: TrackPrinted}}})
		}, false},
		{"the run's job changes state", func() error {
			_, err := s.UpdateJob(root.ID, func(j *Job) error { j.State = Completed; return nil })
			return err
		}, true},
		{"its pieces are set", func() error { return s.SetPieces(root.ID, []Piece{{Seq: 1}, {Seq: 2}}) }, true},
		{"a piece is confirmed printed", func() error { return s.ConfirmPieces(root.ID, []int{1}, "p") }, true},
		{"a transmission is taken back", func() error { return s.UnrecordSends(root.ID, []int{1}, "p") }, true},
		{"a result is applied", func() error {
			_, err := s.ApplyResults(ResultFile{Digest: "d", Name: "a.jrf", Total: 1},
				[]TrackEntry{{Root: root.ID, Seq: 2, Event: PieceEvent{Kind: TrackDamaged}}})
			return err
		}, true},
		{"a reprint job is made", func() error {
			var err error
			child, err = s.CreateJob(Job{Name: "reprint", ReprintOf: root.ID, Generation: 1, Pieces: 1})
			return err
		}, true},
		{"the reprint's pieces are set", func() error { return s.SetPieces(child.ID, []Piece{{Seq: 2}}) }, true},
		{"the reprint prints", func() error {
			_, err := s.RecordPrinted(child.ID, []int{2}, "p", nil, func(j *Job) error { j.State = Completed; return nil })
			return err
		}, true},
		{"an alarm is acknowledged", func() error {
			_, err := s.UpdateJob(root.ID, func(j *Job) error {
				j.Loop = &Loop{State: LoopClosed, Reprints: []int64{child.ID}, Acknowledged: []string{"x: ok"}}
				return nil
			})
			return err
		}, true},
		{"the reprint is compacted", func() error { _, err := s.CompactJob(child.ID, time.Now()); return err }, true},
		{"the run is compacted", func() error { _, err := s.CompactJob(root.ID, time.Now()); return err }, true},
		{"its histories are removed", func() error { return s.DeleteTracks(root.ID) }, true},
	}
	for _, st := range steps {
		keep()
		before := changes()
		if err := st.change(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := s.RunSummaries([]int64{root.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, kept := got[root.ID]; kept == st.stale {
			t.Errorf("%s: changes %d -> %d, summary still handed back: %v; want %v", st.name, before, changes(), kept, !st.stale)
		}
	}
	// The counts and summaries are in the database, not in memory.
	keep()
	s.Close()
	s = openStore(t, dir)
	if got, err := s.RunSummaries([]int64{root.ID}); err != nil || len(got) != 1 {
		t.Fatalf("after reopening: %v, %v", got, err)
	}
}

// TestRunSummariesOfAnOldSpool: a spool that never stored a summary (one
// written before they existed) hands back none, and its runs count from 0.
func TestRunSummariesOfAnOldSpool(t *testing.T) {
	s := openStore(t, t.TempDir())
	got, err := s.RunSummaries([]int64{1, 2})
	if err != nil || len(got) != 0 {
		t.Fatalf("summaries of a new spool: %v, %v", got, err)
	}
	c, err := s.RunChanges([]int64{1})
	if err != nil || c[1] != 0 {
		t.Fatalf("changes of a new spool: %v, %v", c, err)
	}
}
