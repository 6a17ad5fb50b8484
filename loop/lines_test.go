package loop

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/spool"
)

// TestLinesAndRunFiles: the line lists its manifests (with their run),
// the result files applied and quarantined (with the problems) and the
// run still open with its reconciliation; the run's files are its
// manifest and the result file that reported on it.
func TestLinesAndRunFiles(t *testing.T) {
	d, line := loopDaemon(t)
	d.cfg.Lines[0].ManifestDir = "man"
	os.MkdirAll(d.cfg.Path("man"), 0o755)
	for _, n := range []string{"job000001-main.txt", "job000002-main.txt", ".job000003-main.txt.tmp-1"} {
		if err := os.WriteFile(filepath.Join(d.cfg.Path("man"), n), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.updateLoop(1, func(_ *spool.Job, l *spool.Loop) { l.Line = "L1" }); err != nil { // as the first manifest does
		t.Fatal(err)
	}
	offer(t, d, line, "bad.csv", "job,piece,result\n1,1,inserted\n")
	offer(t, d, line, "part.csv", "job,piece,disposition\n1,1,inserted\n1,2,diverted\n")
	lines, err := d.Lines(context.Background())
	if err != nil || len(lines) != 1 {
		t.Fatalf("lines: %v %+v", err, lines)
	}
	l := lines[0]
	if len(l.Manifests) != 2 || l.Manifests[0].Job+l.Manifests[1].Job != 3 {
		t.Errorf("manifests %+v; want job000001 and job000002, not the temporary file", l.Manifests)
	}
	if len(l.Applied) != 1 || l.Applied[0].Name != "part.csv" || l.Applied[0].Size == 0 {
		t.Errorf("applied %+v", l.Applied)
	}
	if len(l.Quarantined) != 1 || l.Quarantined[0].Name != "bad.csv" || len(l.Quarantined[0].Problems) != 1 ||
		!strings.Contains(l.Quarantined[0].Problems[0], "disposition") || l.Quarantined[0].Next == "" {
		t.Errorf("quarantined %+v", l.Quarantined)
	}
	if len(l.Waiting) != 0 || l.Error != "" {
		t.Errorf("waiting %+v, error %q", l.Waiting, l.Error)
	}
	if len(l.Runs) != 1 || l.Runs[0].Job != 1 || len(l.Runs[0].Unaccounted) == 0 {
		t.Fatalf("open runs %+v", l.Runs)
	}
	t.Logf("run 1: loop %s, status %v, unaccounted %v", l.Runs[0].Loop, l.Runs[0].Status, l.Runs[0].Unaccounted)

	// Piece 1 again: an alarm, which names the file too; the file holds
	// one result.
	offer(t, d, line, "dup.csv", "job,piece,disposition\n1,1,inserted\n")
	rf, err := d.RunFiles(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if rf.Line != "L1" || len(rf.Manifests) != 1 || rf.Manifests[0].Name != "job000001-main.txt" {
		t.Errorf("run files: line %q manifests %+v", rf.Line, rf.Manifests)
	}
	events := map[string]int{}
	for _, r := range rf.Results {
		events[r.Name] = r.Events
	}
	if len(rf.Results) != 2 || events["part.csv"] != 2 || events["dup.csv"] != 1 {
		t.Errorf("run result files %+v; want part.csv with 2 results, dup.csv with 1", rf.Results)
	}
	if j, _ := d.store.Job(1); j.Loop == nil || len(j.Loop.Alarms) != 1 {
		t.Errorf("no alarm for piece 1 inserted twice: %+v", j.Loop)
	}
	if _, err := d.RunFiles(context.Background(), 99); err == nil {
		t.Error("the files of a job that does not exist: no error")
	}
}
