package spool

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// ids lists the IDs of jobs.
func ids(jobs []Job) []int64 {
	out := []int64{}
	for _, j := range jobs {
		out = append(out, j.ID)
	}
	return out
}

// setState moves job id to st or fails t.
func setState(t *testing.T, s *Store, id int64, st State) {
	t.Helper()
	if _, err := s.UpdateJob(id, func(j *Job) error { j.State = st; return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestJobsInStateFollowsUpdates(t *testing.T) {
	s := openStore(t, t.TempDir())
	for range 5 {
		mustCreate(t, s, Job{Name: "a"})
	}
	setState(t, s, 2, Completed)
	setState(t, s, 4, Held)
	setState(t, s, 4, Aborted)
	tests := []struct {
		states []State
		want   []int64
	}{
		{[]State{Pending}, []int64{1, 3, 5}},
		{[]State{Completed, Aborted}, []int64{2, 4}},
		{[]State{Held}, []int64{}},
		{ActiveStates, []int64{1, 3, 5}},
	}
	for _, tt := range tests {
		got, err := s.JobsInState(tt.states...)
		if err != nil || !slices.Equal(ids(got), tt.want) {
			t.Errorf("JobsInState(%v) = %v, %v; want %v", tt.states, ids(got), err, tt.want)
		}
	}
	n, err := s.CountJobs()
	if err != nil || n[Pending] != 3 || n[Completed] != 1 || n[Aborted] != 1 || n[Held] != 0 {
		t.Errorf("CountJobs = %v, %v", n, err)
	}
}

func TestQueueOrderAndUnrouted(t *testing.T) {
	s := openStore(t, t.TempDir())
	out := func(printer string, sheets int) Output { return Output{Printer: printer, Sheets: sheets} }
	mustCreate(t, s, Job{Name: "old", Outputs: []Output{out("p", 1), out("p", 2)}})
	mustCreate(t, s, Job{Name: "urgent", Priority: 5, Outputs: []Output{out("p", 3)}})
	mustCreate(t, s, Job{Name: "low", Priority: -1, Outputs: []Output{out("p", 4), out("", 5)}})
	mustCreate(t, s, Job{Name: "held", State: Held, Outputs: []Output{out("p", 6)}})
	q, err := s.Queue("p")
	want := []QueueEntry{{2, 0, 5, 3}, {1, 0, 0, 1}, {1, 1, 0, 2}, {3, 0, -1, 4}}
	if err != nil || !slices.Equal(q, want) {
		t.Fatalf("Queue = %v, %v; want %v", q, err, want)
	}
	if u, _ := s.Unrouted(); !slices.Equal(ids(u), []int64{3}) {
		t.Errorf("Unrouted = %v, want [3]", ids(u))
	}
	// Sent outputs leave the queue; routing the last one empties Unrouted.
	s.UpdateJob(1, func(j *Job) error { j.Outputs[0].Sent = true; return nil })
	s.UpdateJob(3, func(j *Job) error { j.Outputs[1].Printer = "r"; return nil })
	setState(t, s, 2, Completed)
	q, _ = s.Queue("p")
	if want := []QueueEntry{{1, 1, 0, 2}, {3, 0, -1, 4}}; !slices.Equal(q, want) {
		t.Errorf("Queue after updates = %v, want %v", q, want)
	}
	if u, _ := s.Unrouted(); len(u) != 0 {
		t.Errorf("Unrouted = %v, want none", ids(u))
	}
	if p, _ := s.QueuedPrinters(); !slices.Equal(p, []string{"p", "r"}) {
		t.Errorf("QueuedPrinters = %v", p)
	}
}

func TestOpenLoopsAndFinishedBefore(t *testing.T) {
	s := openStore(t, t.TempDir())
	mustCreate(t, s, Job{Name: "a", State: Completed, Loop: &Loop{Line: "l", State: LoopOpen}})
	mustCreate(t, s, Job{Name: "b"})
	mustCreate(t, s, Job{Name: "c", State: Aborted})
	if l, _ := s.OpenLoops(); !slices.Equal(ids(l), []int64{1}) {
		t.Errorf("OpenLoops = %v, want [1]", ids(l))
	}
	s.UpdateJob(1, func(j *Job) error { j.Loop.State = LoopClosed; return nil })
	if l, _ := s.OpenLoops(); len(l) != 0 {
		t.Errorf("OpenLoops after closing = %v, want none", ids(l))
	}
	if f, _ := s.FinishedBefore(time.Now().Add(-time.Hour)); len(f) != 0 {
		t.Errorf("FinishedBefore an hour ago = %v, want none", ids(f))
	}
	if f, _ := s.FinishedBefore(time.Now().Add(time.Hour)); !slices.Equal(ids(f), []int64{1, 3}) {
		t.Errorf("FinishedBefore = %v, want [1 3]", ids(f))
	}
}

func TestJobPage(t *testing.T) {
	s := openStore(t, t.TempDir())
	for i := range 10 {
		j := mustCreate(t, s, Job{Name: "a"})
		if i%2 == 0 {
			setState(t, s, j.ID, Completed)
		}
	}
	tests := []struct {
		before int64
		limit  int
		states []State
		want   []int64
	}{
		{0, 0, nil, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{0, 3, nil, []int64{8, 9, 10}},
		{8, 3, nil, []int64{5, 6, 7}},
		{2, 3, nil, []int64{1}},
		{1, 3, nil, []int64{}},
		{100, 2, nil, []int64{9, 10}},
		{0, 2, []State{Completed}, []int64{7, 9}},
		{7, 2, []State{Completed}, []int64{3, 5}},
		{0, 3, []State{Completed, Pending}, []int64{8, 9, 10}},
		{9, 0, []State{Pending}, []int64{2, 4, 6, 8}},
	}
	for _, tt := range tests {
		got, err := s.JobPage(tt.before, tt.limit, tt.states...)
		if err != nil || !slices.Equal(ids(got), tt.want) {
			t.Errorf("JobPage(%d, %d, %v) = %v, %v; want %v", tt.before, tt.limit, tt.states, ids(got), err, tt.want)
		}
	}
}

// TestMigrationIndexesExistingJobs opens a spool written at schema version 3,
// before the indexes, and finds its jobs through them.
func TestMigrationIndexesExistingJobs(t *testing.T) {
	jobs := []Job{
		{ID: 1, Name: "done", State: Completed, Updated: time.Now().Add(-time.Hour)},
		{ID: 2, Name: "queued", State: Pending, Outputs: []Output{{Printer: "p", Sheets: 2}}},
		{ID: 3, Name: "new", State: Pending, Outputs: []Output{{}}},
		{ID: 4, Name: "held", State: Held, Loop: &Loop{State: LoopOpen}},
	}
	dir := rawDB(t, func(tx *bbolt.Tx) error {
		if err := migrate(tx, migrations[:3]); err != nil {
			return err
		}
		b := tx.Bucket(bucketRoot).Bucket(bucketJobs)
		for _, j := range jobs {
			data, _ := json.Marshal(j)
			if err := b.Put(u64key(uint64(j.ID)), data); err != nil {
				return err
			}
		}
		return b.SetSequence(4)
	})
	s := openStore(t, dir)
	if v := versionOf(t, s); v != 4 {
		t.Fatalf("schema version = %d, want 4", v)
	}
	check := func(what string, got []Job, err error, want ...int64) {
		t.Helper()
		if err != nil || !slices.Equal(ids(got), want) {
			t.Errorf("%s = %v, %v; want %v", what, ids(got), err, want)
		}
	}
	got, err := s.JobsInState(Pending)
	check("pending", got, err, 2, 3)
	got, err = s.ActiveJobs()
	check("active", got, err, 2, 3, 4)
	got, err = s.Unrouted()
	check("unrouted", got, err, 3)
	got, err = s.OpenLoops()
	check("open loops", got, err, 4)
	got, err = s.FinishedBefore(time.Now())
	check("finished", got, err, 1)
	if q, _ := s.Queue("p"); !slices.Equal(q, []QueueEntry{{2, 0, 0, 2}}) {
		t.Errorf("queue p = %v", q)
	}
}

func TestCompactJob(t *testing.T) {
	s := openStore(t, t.TempDir())
	done := mustCreate(t, s, Job{Name: "done.pdf", Input: "input.pdf", Outputs: []Output{{Name: "main", Seqs: []int{1, 2}}}})
	active := mustCreate(t, s, Job{Name: "active.pdf"})
	run := mustCreate(t, s, Job{Name: "run.pdf", State: Completed, Loop: &Loop{Line: "l", State: LoopOpen}})
	reprint := mustCreate(t, s, Job{Name: "run.pdf (reprint 1)", State: Completed, ReprintOf: run.ID})
	dir, err := s.MakeJobDir(done.ID)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "input.pdf"), []byte("%PDF"), 0o600)
	s.SetPieces(done.ID, []Piece{{Seq: 1, Pages: 1}, {Seq: 2, Pages: 1}})
	s.RecordSends(done.ID, []int{1, 2}, "p")
	setState(t, s, done.ID, Completed)

	for _, id := range []int64{active.ID, run.ID, reprint.ID} {
		if _, err := s.CompactJob(id, time.Now()); !errors.Is(err, ErrActive) {
			t.Errorf("CompactJob(%d) = %v, want ErrActive", id, err)
		}
	}
	j, err := s.CompactJob(done.ID, time.Now())
	if err != nil {
		t.Fatalf("CompactJob: %v", err)
	}
	if j.Compacted.IsZero() || j.Outputs != nil || j.Input != "" || j.Name != "done.pdf" || j.State != Completed {
		t.Errorf("compacted job = %+v", j)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("job directory: %v, want it removed", err)
	}
	if p, _ := s.Pieces(done.ID); len(p) != 0 {
		t.Errorf("%d pieces kept", len(p))
	}
	if sends, _ := s.Sends(done.ID); len(sends) != 0 {
		t.Errorf("%d sends kept", len(sends))
	}
	if ev, _ := s.JobEvents(done.ID); len(ev) != 0 {
		t.Errorf("%d events kept", len(ev))
	}
	if f, _ := s.FinishedBefore(time.Now().Add(time.Hour)); slices.Contains(ids(f), done.ID) {
		t.Error("compacted job still waits for retention")
	}
	if all, _ := s.JobsInState(Completed); !slices.Contains(ids(all), done.ID) {
		t.Error("compacted job no longer listed as completed")
	}
	s.UpdateJob(run.ID, func(j *Job) error { j.Loop.State = LoopClosed; return nil })
	if _, err := s.CompactJob(reprint.ID, time.Now()); err != nil {
		t.Errorf("CompactJob of a reprint of a closed run: %v", err)
	}
}

func TestTracksDue(t *testing.T) {
	s := openStore(t, t.TempDir())
	closedAt := time.Now().Add(-2 * time.Hour)
	plain := mustCreate(t, s, Job{Name: "plain", State: Completed})
	open := mustCreate(t, s, Job{Name: "open", State: Completed, Loop: &Loop{State: LoopOpen}})
	closed := mustCreate(t, s, Job{Name: "closed", State: Completed, Loop: &Loop{State: LoopClosed, Closed: closedAt}})
	mustCreate(t, s, Job{Name: "reprint", State: Completed, ReprintOf: closed.ID})
	mustCreate(t, s, Job{Name: "active"})
	if got, err := s.TracksDue(time.Now().Add(-time.Hour)); err != nil || !slices.Equal(got, []int64{closed.ID}) {
		t.Errorf("TracksDue an hour ago = %v, %v; want [%d]", got, err, closed.ID)
	}
	if got, _ := s.TracksDue(time.Now().Add(time.Hour)); !slices.Equal(got, []int64{closed.ID, plain.ID}) {
		t.Errorf("TracksDue = %v, want [%d %d]", got, closed.ID, plain.ID)
	}
	if err := s.DeleteTracks(closed.ID); err != nil {
		t.Fatal(err)
	}
	s.UpdateJob(open.ID, func(j *Job) error { j.Loop.State, j.Loop.Closed = LoopClosed, closedAt; return nil })
	if got, _ := s.TracksDue(time.Now().Add(time.Hour)); !slices.Equal(got, []int64{open.ID, plain.ID}) {
		t.Errorf("TracksDue after removing and closing = %v, want [%d %d]", got, open.ID, plain.ID)
	}
}

// TestJobsInStateSkipsHistory stores an undecodable finished job: the
// listings of active work never read it.
func TestJobsInStateSkipsHistory(t *testing.T) {
	s := openStore(t, t.TempDir())
	mustCreate(t, s, Job{Name: "old"})
	setState(t, s, 1, Completed)
	mustCreate(t, s, Job{Name: "new", Outputs: []Output{{Printer: "p"}}})
	err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketRoot).Bucket(bucketJobs).Put(u64key(1), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Jobs(Pending, Processing); err != nil || !slices.Equal(ids(got), []int64{2}) {
		t.Errorf("Jobs(pending, processing) = %v, %v; want [2] without reading job 1", ids(got), err)
	}
	if got, err := s.ActiveJobs(); err != nil || len(got) != 1 {
		t.Errorf("ActiveJobs = %v, %v", ids(got), err)
	}
	if q, err := s.Queue("p"); err != nil || len(q) != 1 {
		t.Errorf("Queue = %v, %v", q, err)
	}
}
