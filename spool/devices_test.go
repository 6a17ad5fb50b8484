package spool

import (
	"testing"

	"go.etcd.io/bbolt"
)

func TestPrinterStateSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ps, err := s.PrinterState("laser"); err != nil || ps.Paused {
		t.Fatalf("fresh state = %+v, %v", ps, err)
	}
	if _, err := s.UpdatePrinterState("laser", func(ps *PrinterState) { ps.Paused, ps.Reason = true, "paper jam" }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, err := s.PrinterState("laser")
	if err != nil || !ps.Paused || ps.Reason != "paper jam" {
		t.Errorf("after reopen: %+v, %v", ps, err)
	}
}

func TestSendsCountEachTransmission(t *testing.T) {
	s := newStore(t)
	j, err := s.CreateJob(Job{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordSends(j.ID, []int{1, 2, 3}, "p1"); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmPieces(j.ID, []int{1}, "p1"); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordSends(j.ID, []int{2, 3}, "p2"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Sends(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[1].Sends != 1 || got[1].Confirmed != "p1" || got[2].Sends != 2 || len(got[3].Printers) != 2 || got[3].Printers[1] != "p2" {
		t.Errorf("sends = %+v", got)
	}
	if err := s.RecordSends(j.ID, []int{0}, "p1"); err == nil {
		t.Error("seq 0 was accepted")
	}
	if err := s.RecordSends(99, []int{1}, "p1"); err == nil {
		t.Error("sends for a missing job were accepted")
	}
}

func TestMigrationTwoAddsDeviceBuckets(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Make it a version 1 database, as an older omsd left it.
	err = s.db.Update(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		for _, b := range deviceBuckets {
			if err := root.DeleteBucket(b); err != nil {
				return err
			}
		}
		return setSchemaVersion(tx, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := versionOf(t, s); v != uint64(len(migrations)) {
		t.Errorf("version = %d, want %d", v, len(migrations))
	}
	if _, err := s.UpdatePrinterState("p", func(*PrinterState) {}); err != nil {
		t.Errorf("printers bucket after migration: %v", err)
	}
}
