package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/records"
)

const faultLoopConfig = `version: 1
printers:
  - {name: out, driver: file, file: {dir: out}}
lines:
  - {name: L1, manifest_dir: line/in, result_dir: line/results, scan_interval: 100ms}
workflows:
  - name: mail
    printer: out
    line: L1
    pieces: {method: fixed, pages_per_piece: 1}
hot_folders:
  - {dir: hot/mail, workflow: mail, scan_interval: 100ms}
`

// printedRun drops a run of n one-page pieces and waits until it printed.
func printedRun(t *testing.T, d *daemon, n int) int64 {
	t.Helper()
	o := pdftest.Options{}
	for range n {
		o.Pieces = append(o.Pieces, 1)
	}
	drop(t, d.path("hot", "mail"), "run.pdf", pdfBytes(t, o))
	jobs := d.waitJobs(1, 60*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("job %+v", jobs[0])
	}
	return jobs[0].ID
}

// jrfLine is one JRF body record.
func jrfLine(job int64, seq int, code string) string {
	return fmt.Sprintf("B%010d%010d%s2026-12-03 09:00:00op7             L1", job, seq, code)
}

func dropResult(t *testing.T, d *daemon, name string, lines ...string) {
	t.Helper()
	drop(t, d.path("line", "results"), name, []byte(strings.Join(lines, "\n")+"\n"))
}

// waitFiled waits until the result file left the result folder for dir.
func waitFiled(t *testing.T, d *daemon, dir, name string) {
	t.Helper()
	waitFor(t, 2*time.Minute, name+" in "+dir, func() bool {
		_, err := os.Stat(d.path("line", "results", dir, name))
		return err == nil
	})
}

// TestResultDuplicateInsertAlarm: a piece inserted twice raises an
// integrity alarm: the job is held, and the alarm is in omsctl watch, job
// show and the log.
func TestResultDuplicateInsertAlarm(t *testing.T) {
	t.Parallel()
	// At debug level omsd logs each API request: the test sees when omsctl
	// watch has subscribed.
	d := startDaemon(t, strings.Replace(faultLoopConfig, "version: 1\n", "version: 1\nlog: {level: debug}\n", 1))
	id := printedRun(t, d, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := exec.CommandContext(ctx, bin.omsctl, "--socket", d.socket(), "watch", "--job", fmt.Sprint(id))
	var watched bytes.Buffer
	stdout, _ := watch.StdoutPipe()
	if err := watch.Start(); err != nil {
		t.Fatal(err)
	}
	alarm := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			watched.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "ALARM") {
				alarm <- sc.Text()
			}
		}
	}()
	waitFor(t, time.Minute, "omsctl watch to subscribe", func() bool {
		return strings.Contains(d.log(), `"path":"/v1/events"`)
	})
	var lines []string
	for s := 1; s <= 10; s++ {
		lines = append(lines, jrfLine(id, s, "40"))
	}
	dropResult(t, d, "a.jrf", append(lines, jrfLine(id, 4, "40"))...)
	select {
	case l := <-alarm:
		if !strings.Contains(l, "piece 4 inserted 2 times") {
			t.Errorf("watch alarm line: %s", l)
		}
	case <-time.After(2 * time.Minute): // the file is scanned, read and applied
		t.Fatalf("omsctl watch showed no alarm:\n%s\n%s", watched.String(), d.log())
	}
	j := d.job(id)
	if j.State != "held" || j.Loop == nil || len(j.Loop.Alarms) != 1 || j.Loop.State == "closed" {
		t.Fatalf("job after the alarm: %s %+v", j.State, j.Loop)
	}
	if out := d.ctl("job", "show", fmt.Sprint(id)); !strings.Contains(out, "ALARM") {
		t.Errorf("job show lacks the alarm:\n%s", out)
	}
	if !strings.Contains(d.log(), "integrity alarm") {
		t.Errorf("log lacks the alarm")
	}
	if tr := d.track(id, 4); tr.Status != "inserted" || !slices.Equal(kinds(tr), []string{"received", "printed", "inserted", "inserted", "alarm"}) {
		t.Errorf("piece 4: %s %v", tr.Status, kinds(tr))
	}
	// The operator pulls the extra envelope and acknowledges: the hold
	// ends and, every piece being inserted, the run closes.
	if _, err := d.ctlErr("job", "ack", fmt.Sprint(id)); err == nil {
		t.Errorf("job ack without --reason succeeded")
	}
	d.ctl("job", "ack", fmt.Sprint(id), "--reason", "second envelope of piece 4 pulled at the stacker")
	j = d.job(id)
	if j.State != "completed" || j.Loop == nil || len(j.Loop.Alarms) != 0 || len(j.Loop.Acknowledged) != 1 || j.Loop.State != "closed" {
		t.Fatalf("job after the acknowledgement: %s %+v", j.State, j.Loop)
	}
	if !strings.Contains(j.Loop.Acknowledged[0], "piece 4 inserted 2 times") || !strings.Contains(j.Loop.Acknowledged[0], "pulled at the stacker") {
		t.Errorf("acknowledged alarm: %q", j.Loop.Acknowledged[0])
	}
}

// TestResultFileProblems: unknown pieces, unknown jobs and malformed lines
// are reported with their line numbers, such files are quarantined with a
// reason, and their good lines still count.
func TestResultFileProblems(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, faultLoopConfig)
	id := printedRun(t, d, 10)
	dropResult(t, d, "a.jrf", jrfLine(id, 1, "40"), jrfLine(id, 2, "40"), jrfLine(id, 99, "40"))
	dropResult(t, d, "b.jrf", jrfLine(777, 1, "40"))
	dropResult(t, d, "c.jrf", jrfLine(id, 3, "40"), "B garbage", jrfLine(id, 4, "77"), jrfLine(id, 5, "30"))
	dropResult(t, d, "d.jrf", jrfLine(id, 6, "20"))
	for _, f := range []string{"a.jrf", "b.jrf", "c.jrf"} {
		waitFiled(t, d, "error", f)
	}
	waitFiled(t, d, "done", "d.jrf")
	for f, want := range map[string][]string{
		"a.jrf": {"line 3: job " + fmt.Sprint(id) + " has no envelope 99"},
		"b.jrf": {"line 1: job 777 is not in the spool"},
		"c.jrf": {"line 2:", "line 3:", `disposition "77"`},
	} {
		var rep struct {
			Problems []string `json:"problems"`
			Applied  int      `json:"applied"`
		}
		b, err := os.ReadFile(d.path("line", "results", "error", f+".error.json"))
		if err != nil || json.Unmarshal(b, &rep) != nil {
			t.Fatalf("%s: reason file: %v", f, err)
		}
		all := strings.Join(rep.Problems, "\n")
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: problems lack %q:\n%s", f, w, all)
			}
		}
	}
	rep := d.report(id)
	if rep.PiecesOut != 5 || rep.Status["inserted"] != 3 || rep.Status["hand-mailed"] != 1 || rep.Status["diverted"] != 1 || len(rep.Unaccounted) != 5 {
		t.Errorf("good lines did not all count: %+v", rep)
	}
	if !strings.Contains(d.log(), "job 777 is not in the spool") {
		t.Errorf("log lacks the unknown job")
	}
}

// TestResultApplyKilled kills omsd while it applies a large result file:
// after the restart every event of the file is applied exactly once.
func TestResultApplyKilled(t *testing.T) {
	t.Parallel()
	const pieces, rounds = 20, 2500
	d := startDaemon(t, faultLoopConfig)
	id := printedRun(t, d, pieces)
	dropResult(t, d, "big.jrf", bigResult(id, pieces, rounds)...)
	waitFor(t, 120*time.Second, "the first events applied", func() bool { return unreadOf(d, id, 1) > 0 })
	d.kill()
	applied := appliedOffline(t, d, id)
	if applied == 0 || applied >= pieces*rounds {
		t.Fatalf("killed with %d of %d events applied; want the kill mid-file", applied, pieces*rounds)
	}
	t.Logf("killed after %d of %d events", applied, pieces*rounds)
	d.start()
	waitResultApplied(t, d, id, rounds)
	checkUnread(t, d, id, pieces, rounds)
	if j := d.job(id); j.State != "held" || j.Loop == nil || j.Loop.State != "decision" {
		t.Errorf("unread pieces under approve: job %s, loop %+v", j.State, j.Loop)
	}
}

const chunkLoopConfig = `version: 1
printers:
  - {name: a, driver: file, file: {dir: out}}
  - {name: b, driver: file, file: {dir: out}}
pools:
  - {name: room, printers: [a, b], chunk_sheets: 10}
lines:
  - {name: L1, manifest_dir: line/in, manifest_layout: mrdf, result_dir: line/results, scan_interval: 100ms}
workflows:
  - name: mail
    printer: room
    line: L1
    pieces: {method: fixed, pages_per_piece: 1}
hot_folders:
  - {dir: hot/mail, workflow: mail, scan_interval: 100ms}
`

// TestManifestFollowsChunks: an output cut into chunks over a pool gets one
// manifest per chunk, each listing exactly the chunk's pieces.
func TestManifestFollowsChunks(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, chunkLoopConfig)
	id := printedRun(t, d, 25)
	mrdf, err := records.Builtin("mrdf")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, o := range d.job(id).Outputs {
		path := d.path("line", "in", fmt.Sprintf("job%06d-%s.mrdf", id, o.Name))
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("chunk %s: %v", o.Name, err)
		}
		r := records.NewReader(bytes.NewReader(b), mrdf)
		n := 0
		for {
			rec, err := r.Read()
			if err != nil {
				break
			}
			seq := 0
			fmt.Sscan(rec.Fields["piece"], &seq)
			if seq < o.FirstSeq || seq > o.LastSeq || seen[seq] {
				t.Errorf("chunk %s (%d-%d) lists piece %d", o.Name, o.FirstSeq, o.LastSeq, seq)
			}
			seen[seq] = true
			n++
		}
		if n != o.Pieces {
			t.Errorf("chunk %s: manifest of %d pieces, the chunk has %d", o.Name, n, o.Pieces)
		}
	}
	if len(seen) != 25 || len(d.job(id).Outputs) != 3 {
		t.Errorf("%d pieces in %d chunk manifests", len(seen), len(d.job(id).Outputs))
	}
}

// TestReprintApproved: without an automatic policy damaged pieces hold the
// job for a decision; omsctl reprint prints them as a reprint job, whose
// results close the run.
func TestReprintApproved(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, faultLoopConfig)
	id := printedRun(t, d, 10)
	var lines []string
	for s := 1; s <= 10; s++ {
		code := "40"
		if s == 3 || s == 8 {
			code = "10"
		}
		lines = append(lines, jrfLine(id, s, code))
	}
	dropResult(t, d, "a.jrf", lines...)
	waitFor(t, 30*time.Second, "the job held for a decision", func() bool {
		j := d.job(id)
		return j.State == "held" && j.Loop != nil && j.Loop.State == "decision"
	})
	out := d.ctl("reprint", fmt.Sprint(id))
	if !strings.Contains(out, "of 2 pieces on out") {
		t.Fatalf("omsctl reprint: %s", out)
	}
	j := d.job(id)
	if j.State != "completed" || len(j.Loop.Reprints) != 1 {
		t.Fatalf("after the reprint: %s %+v", j.State, j.Loop)
	}
	child := j.Loop.Reprints[0]
	waitFor(t, 30*time.Second, "the reprint printed", func() bool { return d.job(child).State == "completed" })
	if c := d.job(child); c.ReprintOf != id || c.Generation != 1 || c.Pieces != 2 {
		t.Fatalf("reprint job %+v", c.Job)
	}
	dropResult(t, d, "b.jrf", jrfLine(child, 3, "40"), jrfLine(child, 8, "30"))
	waitFor(t, 30*time.Second, "the run closed", func() bool { return d.report(id).Loop == "closed" })
	out = d.ctl("job", "report", fmt.Sprint(id))
	for _, want := range []string{"pieces            10  10", "envelopes         10", "hand-mailed 1, inserted 9", "unaccounted: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("job report lacks %q:\n%s", want, out)
		}
	}
	if _, err := d.ctlErr("reprint", fmt.Sprint(id)); err == nil {
		t.Errorf("a reprint with nothing to reprint succeeded")
	}
}
