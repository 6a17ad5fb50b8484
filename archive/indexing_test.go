package archive

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/omsd/omsd/archive/index"
)

// Archive returns once the segment and its ledger line are durable, while
// the segment is still being indexed; meanwhile its pieces count as
// archived, and a search waits for them.
func TestArchiveReturnsBeforeTheIndexCommits(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	release := make(chan struct{})
	s.ix.hook = func() { <-release }
	ps := pieces(3, 4, time.Hour)
	archived := make(chan error, 1)
	go func() { archived <- s.Archive(ctx, "j3", ps) }()
	select {
	case err := <-archived:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute): // a deadlock, not a duration: the index is held until Archive returns
		close(release)
		t.Fatal("Archive waited for the index transaction")
	}
	want := []string{"3-1-0", "3-2-0", "3-3-0", "3-4-0"}
	if missing, err := s.Missing(ctx, want); err != nil || len(missing) != 0 {
		t.Fatalf("while indexing, Missing = %v, %v; want none", missing, err)
	}
	if err := s.Archive(ctx, "j3", ps); err != nil {
		t.Fatal(err)
	}
	if n := len(s.ledger.entries); n != 1 {
		t.Fatalf("ledger has %d entries after archiving the same pieces twice while indexing, want 1", n)
	}
	found := make(chan []Record, 1)
	go func() {
		recs, _ := s.Search(index.Query{Conds: []index.Cond{{Field: "job", Op: index.Equal, Value: "3"}}}, "tester")
		found <- recs
	}()
	close(release)
	if got := ids(<-found); !slices.Equal(got, want) {
		t.Fatalf("search while indexing = %v, want %v", got, want)
	}
	if _, err := s.Record("3-2-0"); err != nil {
		t.Fatal(err)
	}
}
