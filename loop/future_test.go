package loop

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/spool"
)

// TestResultTimeInFuture: a result dated ahead of omsd's clock by more
// than the allowed skew is applied as written and is a warning on the run
// naming the line of the file and the time; one within the skew is not.
func TestResultTimeInFuture(t *testing.T) {
	d, line := loopDaemon(t)
	ahead := time.Now().UTC().Add(26 * time.Hour).Truncate(time.Second)
	near := time.Now().UTC().Add(time.Minute).Truncate(time.Second)
	offer(t, d, line, "future.csv", fmt.Sprintf("job,piece,disposition,time\n1,1,inserted,%s\n1,2,inserted,%s\n",
		ahead.Format(time.RFC3339), near.Format(time.RFC3339)))
	tracks, err := d.store.Tracks(1)
	if err != nil {
		t.Fatal(err)
	}
	if evs := tracks[1]; len(evs) == 0 || evs[0].Kind != spool.TrackInserted || !evs[0].Time.Equal(ahead) {
		t.Errorf("piece 1's history %+v; want the insert applied at %s", evs, ahead)
	}
	evs, err := d.store.JobEvents(1)
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, e := range evs {
		if e.Type == "warning" {
			warnings = append(warnings, e.Message)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "future.csv line 2") || !strings.Contains(warnings[0], ahead.Format(time.RFC3339)) ||
		!strings.Contains(warnings[0], "job 1 envelope 1") {
		t.Errorf("warnings %q; want one naming line 2, envelope 1 and %s", warnings, ahead.Format(time.RFC3339))
	}
}
