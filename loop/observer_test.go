package loop

import (
	"fmt"
	"slices"
	"testing"
)

// recorder is an Observer that keeps what it is told.
type recorder struct{ told []string }

func (r *recorder) ResultEvents(line, kind string, n int) {
	r.told = append(r.told, fmt.Sprintf("%s %s %d", line, kind, n))
}

func (r *recorder) Reprinted(reason string, pieces int) {
	r.told = append(r.told, fmt.Sprintf("reprint %s %d", reason, pieces))
}

// TestObserverToldResults: the observer is told the piece events of a
// result file by line and kind once, not again for the same bytes.
func TestObserverToldResults(t *testing.T) {
	d, line := loopDaemon(t)
	rec := &recorder{}
	WithObserver(rec)(d)
	good := "job,piece,disposition\n1,1,inserted\n1,2,diverted\n1,3,inserted\n"
	offer(t, d, line, "good.csv", good)
	offer(t, d, line, "again.csv", good)
	slices.Sort(rec.told)
	if want := []string{"L1 diverted 1", "L1 inserted 2"}; !slices.Equal(rec.told, want) {
		t.Errorf("observer told %q; want %q", rec.told, want)
	}
}
