package archive

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// away is a back end that does not answer while down is set.
type away struct {
	Dir
	down *bool
}

var errAway = errors.New("the store does not answer")

func (a away) Put(ctx context.Context, name string, data []byte) error {
	if *a.down {
		return errAway
	}
	return a.Dir.Put(ctx, name, data)
}

func (a away) List(ctx context.Context) ([]string, error) {
	if *a.down {
		return nil, errAway
	}
	return a.Dir.List(ctx)
}

func openAway(t *testing.T, dir string, down *bool) *Service {
	t.Helper()
	s, err := Open(context.Background(), Options{Dir: dir, Backend: away{Dir{filepath.Join(dir, "segments")}, down}, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBacklogSurvivesARestartAndDrainsOnce: with the store away, queued
// pieces count as archived (not missing), show in the status, stop at the
// bound, and survive a restart; once the store answers they are stored,
// each once, and the backlog is empty.
func TestBacklogSurvivesARestartAndDrainsOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	down := true
	s := openAway(t, dir, &down)
	if err := s.Queue(ctx, "j1", pieces(1, 6, time.Hour), 10); err != nil {
		t.Fatal(err)
	}
	if err := s.Queue(ctx, "j1", pieces(1, 6, time.Hour), 10); err != nil {
		t.Fatalf("queueing the same pieces again: %v", err)
	}
	if err := s.Queue(ctx, "j2", pieces(2, 6, time.Hour), 10); !errors.Is(err, ErrBacklogFull) {
		t.Fatalf("past the bound: %v, want ErrBacklogFull", err)
	}
	if missing, err := s.NotQueued([]string{ID(1, 1, 0), ID(2, 1, 0)}); err != nil || !slices.Equal(missing, []string{ID(2, 1, 0)}) {
		t.Fatalf("NotQueued = %v, %v", missing, err)
	}
	if st := s.Status(); st.Backlog != 6 || st.BacklogBytes == 0 || st.BacklogSince.IsZero() || st.Pieces != 0 {
		t.Fatalf("status %+v", st)
	}
	if more, err := s.drainOne(ctx); !errors.Is(err, ErrStore) || !more || s.Status().Problem == "" {
		t.Fatalf("draining with the store away: %v %v %+v", more, err, s.Status())
	}
	s.Close() // as after a crash: the backlog file is all there is

	s = openAway(t, dir, &down)
	defer func() { s.Close() }()
	if st := s.Status(); st.Backlog != 6 {
		t.Fatalf("after a restart, status %+v", st)
	}
	down = false
	if more, err := s.drainOne(ctx); err != nil || more {
		t.Fatalf("draining: %v %v", more, err)
	}
	if st := s.Status(); st.Backlog != 0 || st.Pieces != 6 || st.Problem != "" {
		t.Fatalf("after draining, status %+v", st)
	}
	if got := search(t, s, "job=1"); len(got) != 6 {
		t.Fatalf("job 1 archived as %v", got)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "backlog")); len(ents) != 0 {
		t.Fatalf("backlog files left: %v", ents)
	}
	if err := s.Queue(ctx, "j2", pieces(2, 6, time.Hour), 10); err != nil {
		t.Fatalf("after draining, queueing: %v", err)
	}
}

// TestBacklogCrashAfterTheLedger: a backlog segment stored and in the
// ledger whose backlog file a crash left is not stored again, and its
// pieces are not queued again.
func TestBacklogCrashAfterTheLedger(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	down := true
	s := openAway(t, dir, &down)
	if err := s.Queue(ctx, "j1", pieces(1, 4, time.Hour), 100); err != nil {
		t.Fatal(err)
	}
	down = false
	q := s.back.segs[0]
	saved, _ := os.ReadFile(s.back.file(q.name))
	if _, err := s.drainOne(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The crash: the backlog file is still there.
	os.MkdirAll(filepath.Join(dir, "backlog"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "backlog", q.name+segExt), saved, 0o444); err != nil {
		t.Fatal(err)
	}
	s = openAway(t, dir, &down)
	defer func() { s.Close() }()
	// Pieces 1-4 are stored, 5 and 6 not: queued again with them, only
	// 5 and 6 go in.
	if err := s.Queue(ctx, "j1b", pieces(1, 6, time.Hour), 100); err != nil {
		t.Fatal(err)
	}
	if n := s.Status().Backlog; n != 6 {
		t.Fatalf("backlog %d, want the 4 of the file left and the 2 pieces not stored", n)
	}
	s.Close()
	s = openAway(t, dir, &down)
	for {
		more, err := s.drainOne(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
	}
	v, err := s.Verify(ctx)
	if err != nil || v.Pieces != 6 || len(v.Problems) != 0 || len(search(t, s, "job=1")) != 6 {
		t.Fatalf("verify %+v %v; want 6 pieces, each once", v, err)
	}
}
