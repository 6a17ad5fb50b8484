package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/testpeer"
)

// TestFaultArchiveBacklogKill: a workflow whose archiving may run 30
// pieces behind sends a 20-piece run while the S3 store is away (the
// pieces wait in the backlog, shown by omsctl status), holds the next run
// (it would pass the bound), survives kill -9 with the store still away,
// and once the store is back (with one more kill -9 as the backlog is
// stored) every piece of both runs is printed once and archived once.
func TestFaultArchiveBacklogKill(t *testing.T) {
	s3 := testpeer.StartS3(t)
	s3.Kill()
	d := startDaemon(t, `version: 1
spool: {retry_delay: 1s}
printers:
  - {name: out, driver: file, file: {dir: out}}
`+s3.Config("omsd-archive")+`workflows:
  - {name: letters, printer: out, pieces: {method: bookmarks}, archive: {backlog: 30}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 100ms}
`)
	pdf := pdfBytes(t, twentyPieces(true))
	drop(t, d.path("hot", "letters"), "a.pdf", pdf)
	first := d.waitJobs(1, 2*time.Minute)[0]
	if first.State != "completed" {
		t.Fatalf("the first run was not sent with the store away: %+v\n%s", first, d.log())
	}
	backlog := func() api.ArchiveStatus {
		var st api.Status
		if err := json.Unmarshal([]byte(d.ctl("status", "--json")), &st); err != nil || st.Archive == nil {
			t.Fatalf("status --json: %v", err)
		}
		return *st.Archive
	}
	waitFor(t, time.Minute, "omsd status to say why the store fails", func() bool { return backlog().Problem != "" })
	if a := backlog(); a.Backlog != 20 || a.BacklogBytes == 0 {
		t.Errorf("status with 20 pieces behind and the store away: %+v", a)
	}
	if st := d.ctl("status"); !strings.Contains(st, "BEHIND: 20 pieces") {
		t.Errorf("omsctl status does not show the backlog:\n%s", st)
	}

	drop(t, d.path("hot", "letters"), "b.pdf", pdf)
	held := func() bool {
		for _, j := range d.jobs() {
			if j.ID != first.ID && j.State != "completed" && strings.Contains(j.Message, "archive backlog is full") {
				return true
			}
		}
		return false
	}
	waitFor(t, 3*time.Minute, "the second run to wait for the full backlog", held)
	d.kill()
	d.start()
	waitFor(t, 3*time.Minute, "the second run to wait again after kill -9", held)
	if a := backlog(); a.Backlog != 20 {
		t.Errorf("after kill -9 the backlog holds %d pieces, want 20", a.Backlog)
	}
	if outs, _ := filepath.Glob(d.path("out", "*")); len(outs) != 1 {
		t.Fatalf("outputs %v, want the first run's only", outs)
	}

	before := ledgerLines(d)
	s3.Start(t)
	waitFor(t, 2*time.Minute, "the backlog to reach the store", func() bool { return ledgerLines(d) > before })
	d.kill()
	d.start()
	jobs := d.waitJobs(2, 2*time.Minute)
	waitFor(t, 2*time.Minute, "the backlog to be stored", func() bool { return backlog().Backlog == 0 })
	sent, archived := 0, 0
	for _, j := range jobs {
		if j.State != "completed" {
			t.Fatalf("job %+v\n%s", j, d.log())
		}
		recs := archiveRecords(t, d, fmt.Sprintf("job=%d", j.ID))
		checkOncePerPiece(t, recs, j.Pieces)
		sent, archived = sent+j.Pieces, archived+len(recs)
	}
	var v api.ArchiveVerify
	if err := json.Unmarshal([]byte(d.ctl("archive", "verify", "--json")), &v); err != nil {
		t.Fatal(err)
	}
	outs, _ := filepath.Glob(d.path("out", "*"))
	t.Logf("fault counts: kills=2 sent=%d archived=%d in segments=%d lost=%d doubled=%d outputs=%d",
		sent, archived, v.Pieces, sent-archived, v.Pieces-archived, len(outs))
	if sent != 40 || v.Pieces != sent || len(v.Problems) != 0 || len(outs) != 2 {
		t.Fatalf("sent %d, segments hold %d, %d outputs; verify %+v", sent, v.Pieces, len(outs), v.Problems)
	}
	if a := backlog(); a.Problem != "" || a.Pieces != 40 {
		t.Errorf("status after the backlog was stored: %+v", a)
	}
}
