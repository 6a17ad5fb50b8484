package spool

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestCreateJob(t *testing.T) {
	tests := []struct {
		name        string
		in          Job
		wantState   State
		wantReasons []string
	}{
		{"defaults", Job{Name: "a.pdf"}, Pending, []string{}},
		{"held with reasons", Job{Name: "b.pdf", State: Held, StateReasons: []string{"job-hold-until-specified"}},
			Held, []string{"job-hold-until-specified"}},
		{"caller ID and times ignored", Job{ID: 99, Created: time.Unix(1, 0), Updated: time.Unix(2, 0)},
			Pending, []string{}},
		{"all fields", Job{Name: "c.pdf", Workflow: "w", Printer: "p", Message: "m", Source: "/in",
			Input: "c.pdf", Sidecar: "c.json", Pieces: 3, Pages: 9, Sheets: 5, SheetsSent: 1, Attempts: 2},
			Pending, []string{}},
	}
	s := newStore(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			j, err := s.CreateJob(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if j.ID != int64(i+1) {
				t.Errorf("ID = %d, want %d", j.ID, i+1)
			}
			if j.State != tt.wantState || !slices.Equal(j.StateReasons, tt.wantReasons) || j.StateReasons == nil {
				t.Errorf("state = %s %#v, want %s %#v", j.State, j.StateReasons, tt.wantState, tt.wantReasons)
			}
			if j.Created.Location() != time.UTC || j.Created.Before(before) || !j.Updated.Equal(j.Created) {
				t.Errorf("Created %v Updated %v, want UTC now", j.Created, j.Updated)
			}
			want := tt.in
			want.ID, want.State, want.StateReasons, want.Created, want.Updated = j.ID, j.State, j.StateReasons, j.Created, j.Updated
			assertJob(t, j, want)
			got, err := s.Job(j.ID)
			if err != nil {
				t.Fatal(err)
			}
			assertJob(t, got, j)
			ev, err := s.JobEvents(j.ID)
			if err != nil || len(ev) != 1 || ev[0].Type != "state" || ev[0].State != j.State {
				t.Errorf("JobEvents = %+v, %v; want one state event", ev, err)
			}
		})
	}
}

func TestCreateJobInvalidState(t *testing.T) {
	s := newStore(t)
	if _, err := s.CreateJob(Job{State: "printing"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("error = %v, want ErrInvalid", err)
	}
	if jobs, _ := s.Jobs(); len(jobs) != 0 {
		t.Errorf("invalid job stored: %+v", jobs)
	}
}

func TestJobNotFound(t *testing.T) {
	s := newStore(t)
	mustCreate(t, s, Job{Name: "a"})
	for _, id := range []int64{-1, 0, 2, 1 << 62} {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			_, err := s.Job(id)
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("Job(%d) error = %v, want ErrNotFound", id, err)
			}
			if want := fmt.Sprintf("job %d: spool: not found", id); err != nil && err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
			calls := []struct {
				name string
				err  error
			}{
				{"UpdateJob", second(s.UpdateJob(id, func(*Job) error { return nil }))},
				{"SetPieces", s.SetPieces(id, nil)},
				{"Pieces", second(s.Pieces(id))},
				{"JobEvents", second(s.JobEvents(id))},
			}
			if id != 0 { // Job 0 is a spool-wide event
				calls = append(calls, struct {
					name string
					err  error
				}{"AddEvent", second(s.AddEvent(Event{Job: id, Type: "info"}))})
			}
			for _, c := range calls {
				if !errors.Is(c.err, ErrNotFound) {
					t.Errorf("%s error = %v, want ErrNotFound", c.name, c.err)
				}
			}
		})
	}
}

// second returns the error of a two-valued call.
func second[T any](_ T, err error) error { return err }

func TestJobsFilter(t *testing.T) {
	s := newStore(t)
	states := []State{Pending, Held, Pending, Completed, Processing}
	for _, st := range states {
		mustCreate(t, s, Job{State: st})
	}
	tests := []struct {
		states []State
		want   []int64
	}{
		{nil, []int64{1, 2, 3, 4, 5}},
		{[]State{Pending}, []int64{1, 3}},
		{[]State{Completed, Held}, []int64{2, 4}},
		{[]State{Aborted}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.states), func(t *testing.T) {
			jobs, err := s.Jobs(tt.states...)
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, j := range jobs {
				ids = append(ids, j.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Jobs(%v) = %v, want %v", tt.states, ids, tt.want)
			}
		})
	}
}

func TestUpdateJobEvents(t *testing.T) {
	incoming := []string{"job-incoming"}
	tests := []struct {
		name      string
		reasons   []string
		fn        func(*Job)
		wantEvent bool
	}{
		{"counter only", incoming, func(j *Job) { j.SheetsSent = 10 }, false},
		{"message only", incoming, func(j *Job) { j.Message = "still going" }, false},
		{"reasons empty to nil", nil, func(j *Job) { j.StateReasons = nil }, false},
		{"same reasons, new slice", incoming, func(j *Job) { j.StateReasons = []string{"job-incoming"} }, false},
		{"state", incoming, func(j *Job) { j.State = Processing; j.Message = "started" }, true},
		{"reasons added", incoming, func(j *Job) { j.StateReasons = append(j.StateReasons, "job-printing") }, true},
		{"reasons to nil", incoming, func(j *Job) { j.StateReasons = nil }, true},
		{"reasons in place", incoming, func(j *Job) { j.StateReasons[0] = "job-queued" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			j := mustCreate(t, s, Job{Name: "a", StateReasons: tt.reasons})
			got, err := s.UpdateJob(j.ID, func(j *Job) error { tt.fn(j); return nil })
			if err != nil {
				t.Fatal(err)
			}
			stored, err := s.Job(j.ID)
			if err != nil {
				t.Fatal(err)
			}
			assertJob(t, stored, got)
			if got.Updated.Before(j.Updated) || got.StateReasons == nil {
				t.Errorf("Updated %v (was %v), reasons %#v", got.Updated, j.Updated, got.StateReasons)
			}
			ev, err := s.JobEvents(j.ID)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(ev) - 1; n != map[bool]int{false: 0, true: 1}[tt.wantEvent] {
				t.Fatalf("%d events after update, want event %v: %+v", n, tt.wantEvent, ev)
			}
			if tt.wantEvent {
				e := ev[1]
				if e.Type != "state" || e.State != got.State || !slices.Equal(e.Reasons, got.StateReasons) ||
					e.Message != got.Message || !e.Time.Equal(got.Updated) {
					t.Errorf("event %+v does not record job %+v", e, got)
				}
			}
		})
	}
}

func TestUpdateJobFnErrorAborts(t *testing.T) {
	s := newStore(t)
	j := mustCreate(t, s, Job{Name: "a"})
	errBoom := errors.New("boom")
	_, err := s.UpdateJob(j.ID, func(j *Job) error {
		j.State, j.Name, j.Pages = Aborted, "changed", 7
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("error = %v, want the fn's error", err)
	}
	got, err := s.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	assertJob(t, got, j)
	if ev, _ := s.Events(0, 0); len(ev) != 1 {
		t.Errorf("events after aborted update: %+v", ev)
	}
}

func TestUpdateJobKeepsIdentity(t *testing.T) {
	s := newStore(t)
	j := mustCreate(t, s, Job{Name: "a"})
	other := mustCreate(t, s, Job{Name: "b"})
	got, err := s.UpdateJob(j.ID, func(j *Job) error {
		j.ID, j.Created, j.Name = other.ID, time.Unix(0, 0), "renamed"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != j.ID || !got.Created.Equal(j.Created) || got.Name != "renamed" {
		t.Errorf("updated job %+v, want ID %d Created %v Name renamed", got, j.ID, j.Created)
	}
	if o, _ := s.Job(other.ID); o.Name != "b" {
		t.Errorf("other job overwritten: %+v", o)
	}
	if _, err := s.UpdateJob(j.ID, func(j *Job) error { j.State = "bogus"; return nil }); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid state error = %v, want ErrInvalid", err)
	}
}

func TestConcurrentUpdates(t *testing.T) {
	const workers, each = 4, 25
	s := newStore(t)
	j := mustCreate(t, s, Job{})
	errs := make(chan error, workers)
	for range workers {
		go func() {
			var err error
			for range each {
				if _, err = s.CreateJob(Job{}); err != nil {
					break
				}
				if _, err = s.UpdateJob(j.ID, func(j *Job) error { j.SheetsSent++; return nil }); err != nil {
					break
				}
			}
			errs <- err
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Job(j.ID)
	if got.SheetsSent != workers*each {
		t.Errorf("SheetsSent = %d, want %d (lost updates)", got.SheetsSent, workers*each)
	}
	jobs, _ := s.Jobs()
	if len(jobs) != 1+workers*each || jobs[len(jobs)-1].ID != int64(len(jobs)) {
		t.Errorf("%d jobs, last ID %d; want %d with dense IDs", len(jobs), jobs[len(jobs)-1].ID, 1+workers*each)
	}
	if _, err := s.UpdateJob(j.ID, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("UpdateJob with nil fn error = %v, want ErrInvalid", err)
	}
}

// TestConcurrentUpdatesShareCommits updates jobs from many goroutines at
// once, some updates refused: the refused ones store nothing and the
// others all their changes.
func TestConcurrentUpdatesShareCommits(t *testing.T) {
	s := openStore(t, t.TempDir())
	const n = 64
	for range n {
		mustCreate(t, s, Job{Name: "a"})
	}
	errRefused := errors.New("refused")
	var wg sync.WaitGroup
	for id := int64(1); id <= n; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateJob(id, func(j *Job) error {
				j.Attempts++
				if id%4 == 0 {
					return errRefused
				}
				return nil
			})
			if (id%4 == 0) != errors.Is(err, errRefused) {
				t.Errorf("job %d: %v", id, err)
			}
		}()
	}
	wg.Wait()
	for id := int64(1); id <= n; id++ {
		j, err := s.Job(id)
		want := 1
		if id%4 == 0 {
			want = 0
		}
		if err != nil || j.Attempts != want {
			t.Errorf("job %d: attempts %d, %v; want %d", id, j.Attempts, err, want)
		}
	}
}
