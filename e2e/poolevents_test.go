package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
)

// TestPoolEventsNameEachChunksPrinter prints a run cut into chunks on two
// IPP printers of a pool: every chunk has an event saying it was sent, and
// that event names the chunk, the printer the job's outputs record for it
// and its attempt.
func TestPoolEventsNameEachChunksPrinter(t *testing.T) {
	t.Parallel()
	printers := []*pagePrinter{startPagePrinter(t, "0.02"), startPagePrinter(t, "0.02")}
	d := startDaemon(t, poolConfig(8, "{action: retry-job, interval: 300ms, limit: 3}", printers[0].URI, printers[1].URI))
	o := manyPieces(24) // 48 sheets: at least 6 chunks
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))
	jobs := d.waitJobs(1, 90*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("job %s: %s\n%s", jobs[0].State, jobs[0].Message, d.log())
	}
	j := d.job(jobs[0].ID)
	sent := map[string][]api.Event{}
	for _, e := range j.Events {
		if e.Output != "" && strings.Contains(e.Message, "sent to") {
			sent[e.Output] = append(sent[e.Output], e)
		}
	}
	used := map[string]bool{}
	for _, out := range j.Outputs {
		used[out.Printer] = true
		evs := sent[out.Name]
		if len(evs) != 1 {
			t.Errorf("chunk %s has %d sent events; want 1\n%s", out.Name, len(evs), eventsText(j))
			continue
		}
		if e := evs[0]; e.Printer != out.Printer || !strings.Contains(e.Message, "sent to "+out.Printer) || e.Attempt < 1 {
			t.Errorf("chunk %s went to %s; its event: %+v", out.Name, out.Printer, e)
		}
	}
	if len(j.Outputs) < 6 || !used["p1"] || !used["p2"] {
		t.Errorf("%d chunks on %v; want at least 6 on both printers", len(j.Outputs), used)
	}
}
