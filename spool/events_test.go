package spool

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

func TestEventsAfterLimit(t *testing.T) {
	s := newStore(t)
	a := mustCreate(t, s, Job{Name: "a"})             // event 1
	b := mustCreate(t, s, Job{Name: "b"})             // event 2
	for i, id := range []int64{a.ID, b.ID, 0, a.ID} { // events 3..6
		if _, err := s.AddEvent(Event{Job: id, Type: "info", Message: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		after uint64
		limit int
		want  []uint64
	}{
		{0, 0, []uint64{1, 2, 3, 4, 5, 6}},
		{0, -1, []uint64{1, 2, 3, 4, 5, 6}},
		{0, 2, []uint64{1, 2}},
		{2, 3, []uint64{3, 4, 5}},
		{4, 10, []uint64{5, 6}},
		{6, 0, []uint64{}},
		{100, 0, []uint64{}},
		{math.MaxUint64, 0, []uint64{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("after%d_limit%d", tt.after, tt.limit), func(t *testing.T) {
			ev, err := s.Events(tt.after, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := eventSeqs(ev); !slices.Equal(got, tt.want) {
				t.Errorf("Events(%d, %d) = %v, want %v", tt.after, tt.limit, got, tt.want)
			}
		})
	}
	jobTests := []struct {
		id   int64
		want []uint64
	}{
		{a.ID, []uint64{1, 3, 6}},
		{b.ID, []uint64{2, 4}},
	}
	for _, tt := range jobTests {
		ev, err := s.JobEvents(tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if got := eventSeqs(ev); !slices.Equal(got, tt.want) {
			t.Errorf("JobEvents(%d) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestAddEvent(t *testing.T) {
	s := newStore(t)
	j := mustCreate(t, s, Job{})
	fixed := time.Date(2024, 5, 1, 12, 0, 0, 5, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		name     string
		in       Event
		wantTime time.Time // zero: now
	}{
		{"time assigned", Event{Job: j.ID, Type: "warning", Message: "paper low"}, time.Time{}},
		{"time kept in UTC", Event{Job: j.ID, Type: "progress", Time: fixed}, fixed},
		{"caller seq ignored", Event{Seq: 1000, Type: "info", Reasons: []string{"x"}}, time.Time{}},
	}
	last := uint64(1) // the creation event
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			e, err := s.AddEvent(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if e.Seq != last+1 {
				t.Errorf("Seq = %d, want %d", e.Seq, last+1)
			}
			last = e.Seq
			if e.Time.Location() != time.UTC {
				t.Errorf("Time %v not UTC", e.Time)
			}
			if tt.wantTime.IsZero() && e.Time.Before(before) || !tt.wantTime.IsZero() && !e.Time.Equal(tt.wantTime) {
				t.Errorf("Time = %v, want %v", e.Time, tt.wantTime)
			}
			stored, err := s.Events(e.Seq-1, 1)
			if err != nil || len(stored) != 1 {
				t.Fatalf("Events = %v, %v", stored, err)
			}
			if got := stored[0]; got.Seq != e.Seq || !got.Time.Equal(e.Time) || got.Type != tt.in.Type ||
				got.Message != tt.in.Message || !slices.Equal(got.Reasons, tt.in.Reasons) || got.Job != tt.in.Job {
				t.Errorf("stored %+v, returned %+v", got, e)
			}
		})
	}
}

func TestJobEventsNotFound(t *testing.T) {
	s := newStore(t)
	if _, err := s.JobEvents(1); !errors.Is(err, ErrNotFound) {
		t.Errorf("error = %v, want ErrNotFound", err)
	}
}
