package spool

import (
	"reflect"
	"testing"
	"time"
)

// assertJob fails t unless got and want are the same job.
func assertJob(t *testing.T, got, want Job) {
	t.Helper()
	if !got.Created.Equal(want.Created) || !got.Updated.Equal(want.Updated) {
		t.Errorf("times = %v/%v, want %v/%v", got.Created, got.Updated, want.Created, want.Updated)
	}
	got.Created, got.Updated, want.Created, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("job = %+v\nwant  %+v", got, want)
	}
}

// assertPieces fails t unless got and want hold the same pieces.
func assertPieces(t *testing.T, got, want []Piece) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d pieces, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Equal(want[i]) {
			t.Fatalf("piece %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// mustCreate creates j or fails t.
func mustCreate(t *testing.T, s *Store, j Job) Job {
	t.Helper()
	got, err := s.CreateJob(j)
	if err != nil {
		t.Fatalf("CreateJob: %v", err)
	}
	return got
}

// eventSeqs lists the Seq of each event.
func eventSeqs(ev []Event) []uint64 {
	seqs := []uint64{}
	for _, e := range ev {
		seqs = append(seqs, e.Seq)
	}
	return seqs
}
