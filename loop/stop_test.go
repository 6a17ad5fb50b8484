package loop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/omsd/omsd/intake/hotfolder"
)

// stopAfter is a context that ends after its Err was asked n times: a stop
// that arrives in the middle of a loop, at a known point.
type stopAfter struct {
	context.Context
	n atomic.Int64
}

func (c *stopAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestResultsStopMidFile: a stop between two batches of a result file
// returns at once, leaving the file in the result folder with the batches
// applied so far; taking the file again applies the rest, each event once.
func TestResultsStopMidFile(t *testing.T) {
	d, line := loopDaemon(t)
	const rounds = 1000 // 3,000 events, 47 batches
	var b strings.Builder
	b.WriteString("job,piece,disposition,time,operator,line\n")
	for range rounds {
		for seq := 1; seq <= 3; seq++ {
			fmt.Fprintf(&b, "1,%d,unread,,,\n", seq)
		}
	}
	path := filepath.Join(d.cfg.Path(line.ResultDir), "big.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// The reader asks once per batch of records, then once per batch
	// applied: stop after reading and 5 batches.
	ctx := &stopAfter{Context: context.Background()}
	ctx.n.Store(int64(3*rounds/resultBatch + 1 + 5))
	err := d.takeResults(ctx, line, hotfolder.Arrival{Path: path})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("takeResults = %v, want canceled", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the file left the result folder: %v", err)
	}
	if n := unreadEvents(t, d); n != 5*resultBatch {
		t.Fatalf("%d events applied before the stop, want %d", n, 5*resultBatch)
	}
	if err := d.takeResults(context.Background(), line, hotfolder.Arrival{Path: path}); err != nil {
		t.Fatal(err)
	}
	if n := unreadEvents(t, d); n != 3*rounds {
		t.Fatalf("%d events applied in all, want %d", n, 3*rounds)
	}
}

func unreadEvents(t *testing.T, d *Service) int {
	t.Helper()
	tracks, err := d.store.Tracks(1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, evs := range tracks {
		for _, e := range evs {
			if e.Kind == "unread" {
				n++
			}
		}
	}
	return n
}
