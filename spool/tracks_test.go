package spool

import (
	"errors"
	"testing"

	"go.etcd.io/bbolt"
)

func TestApplyResultsOnce(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	j := mustCreate(t, s, Job{Name: "run.pdf"})
	entry := func(seq int, kind string) TrackEntry {
		return TrackEntry{Root: j.ID, Seq: seq, Event: PieceEvent{Kind: kind, Line: "L1", File: "a.jrf"}}
	}
	rf := ResultFile{Digest: "abc", Name: "a.jrf", Line: "L1", Total: 3}
	rf, err := s.ApplyResults(rf, []TrackEntry{entry(1, TrackInserted), entry(2, TrackDamaged)})
	if err != nil || rf.Applied != 2 || rf.Done() {
		t.Fatalf("first batch: %+v, %v", rf, err)
	}
	// The same batch again (a crash after the commit, before the caller
	// learnt of it) is refused and changes nothing.
	stale := rf
	stale.Applied = 0
	if _, err := s.ApplyResults(stale, []TrackEntry{entry(1, TrackInserted)}); !errors.Is(err, ErrApplied) {
		t.Fatalf("stale batch: %v", err)
	}
	if rf, err = s.ApplyResults(rf, []TrackEntry{entry(3, TrackInserted)}); err != nil || !rf.Done() {
		t.Fatalf("last batch: %+v, %v", rf, err)
	}
	s.Close()
	s = openStore(t, dir)
	got, ok, err := s.ResultFileOf("abc")
	if err != nil || !ok || got.Applied != 3 || !got.Done() {
		t.Fatalf("after reopening: %+v %v %v", got, ok, err)
	}
	tracks, err := s.Tracks(j.ID)
	if err != nil || len(tracks) != 3 || len(tracks[1]) != 1 || tracks[2][0].Kind != TrackDamaged {
		t.Fatalf("tracks %+v, %v", tracks, err)
	}
	if err := s.AddTrackEvents([]TrackEntry{entry(2, TrackReprinted)}); err != nil {
		t.Fatal(err)
	}
	if evs, _ := s.Track(j.ID, 2); len(evs) != 2 || evs[1].Kind != TrackReprinted {
		t.Fatalf("piece 2: %+v", evs)
	}
	if err := s.DeleteTracks(j.ID); err != nil {
		t.Fatal(err)
	}
	if tracks, _ := s.Tracks(j.ID); len(tracks) != 0 {
		t.Fatalf("after delete: %+v", tracks)
	}
}

// TestMigrateToLoopBuckets opens a schema 2 database: its jobs stay, the
// buckets of histories and result files are added.
func TestMigrateToLoopBuckets(t *testing.T) {
	dir := rawDB(t, func(tx *bbolt.Tx) error {
		if err := migrate(tx, migrations[:2]); err != nil {
			return err
		}
		jobs, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		return putJob(jobs, Job{ID: 1, Name: "old.pdf", State: Completed})
	})
	s := openStore(t, dir)
	if v := versionOf(t, s); v != uint64(len(migrations)) {
		t.Fatalf("version %d", v)
	}
	if j, err := s.Job(1); err != nil || j.Name != "old.pdf" {
		t.Fatalf("job after migration: %+v, %v", j, err)
	}
	if err := s.AddTrackEvents([]TrackEntry{{Root: 1, Seq: 1, Event: PieceEvent{Kind: TrackClosed}}}); err != nil {
		t.Fatal(err)
	}
}
