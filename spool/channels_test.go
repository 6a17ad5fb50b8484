package spool

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestDeliveries: deliveries are stored with their piece events in one
// transaction; a job is listed open while one of its deliveries is not
// done, and the listing survives a reopen.
func TestDeliveries(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, s, Job{Name: "a.pdf", State: Pending})
	b := mustCreate(t, s, Job{Name: "b.pdf", State: Pending})
	if has, _ := s.HasDeliveries(a.ID); has {
		t.Fatal("a new job has deliveries")
	}
	if err := s.StartDeliveries(a.ID, []Delivery{{Job: a.ID, Seq: 1, Channel: "email", State: DeliveryPending}, {Job: a.ID, Seq: 2, Channel: "portal", State: DeliveryPending}}); err != nil {
		t.Fatal(err)
	}
	if err := s.StartDeliveries(b.ID, nil); err != nil {
		t.Fatal(err)
	}
	if has, _ := s.HasDeliveries(b.ID); !has {
		t.Error("a job started without deliveries is not recorded")
	}
	if ids, _ := s.OpenDeliveryJobs(); !slices.Equal(ids, []int64{a.ID}) {
		t.Fatalf("open jobs %v; want [%d]", ids, a.ID)
	}
	err = s.PutDeliveries([]Delivery{{Job: a.ID, Seq: 1, Channel: "email", State: DeliveryDelivered, MessageID: "m1@x"}},
		[]TrackEntry{{Root: a.ID, Seq: 1, Event: PieceEvent{Kind: TrackEmailed, Detail: "m1@x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.OpenDeliveryJobs(); !slices.Equal(ids, []int64{a.ID}) {
		t.Fatalf("open jobs %v with one delivery left; want [%d]", ids, a.ID)
	}
	s.PutDeliveries([]Delivery{{Job: a.ID, Seq: 2, Channel: "portal", State: DeliverySending}}, nil)
	s.UpdateJob(a.ID, func(j *Job) error { j.State = Completed; return nil })
	if _, err := s.CompactJob(a.ID, time.Now()); !errors.Is(err, ErrActive) {
		t.Errorf("compacting a job with a delivery not done: %v; want ErrActive", err)
	}
	s.PutDeliveries([]Delivery{{Job: a.ID, Seq: 2, Channel: "portal", State: DeliveryFellBack, FallbackJob: b.ID}}, nil)
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ids, _ := s.OpenDeliveryJobs(); len(ids) != 0 {
		t.Errorf("open jobs %v when every delivery is done", ids)
	}
	if _, err := s.CompactJob(a.ID, time.Now()); err != nil {
		t.Errorf("compacting a job whose deliveries are done: %v", err)
	}
	ds, _ := s.Deliveries(a.ID)
	if len(ds) != 2 || ds[1].MessageID != "m1@x" || ds[2].FallbackJob != b.ID {
		t.Errorf("deliveries %+v", ds)
	}
	if tr, _ := s.Track(a.ID, 1); len(tr) != 1 || tr[0].Kind != TrackEmailed {
		t.Errorf("history %+v", tr)
	}
	if err := s.PutDeliveries([]Delivery{{Job: a.ID, Seq: 0}}, nil); err == nil {
		t.Error("a delivery of piece 0 was stored")
	}
}
