package spool

import "testing"

func TestUnrecordSends(t *testing.T) {
	s := newStore(t)
	j, err := s.CreateJob(Job{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"p1", "p2"} {
		if err := s.RecordSends(j.ID, []int{1, 2}, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.UnrecordSends(j.ID, []int{1, 2}, "p2"); err != nil {
		t.Fatal(err)
	}
	// Only the last transmission, and only to that printer, is taken back.
	if err := s.UnrecordSends(j.ID, []int{1}, "p9"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Sends(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, seq := range []int{1, 2} {
		if got[seq].Sends != 1 || len(got[seq].Printers) != 1 || got[seq].Printers[0] != "p1" {
			t.Errorf("piece %d sends = %+v; want one, to p1", seq, got[seq])
		}
	}
}
