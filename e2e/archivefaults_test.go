package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/internal/testpeer"
)

// ledgerLines counts the archive ledger's complete lines.
func ledgerLines(d *daemon) int {
	b, _ := os.ReadFile(d.path("archive", "ledger.jsonl"))
	return strings.Count(string(b), "\n")
}

// segmentWriting reports whether a segment is being written (its
// temporary file exists).
func segmentWriting(d *daemon) bool {
	ents, _ := os.ReadDir(d.path("archive", "segments"))
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			return true
		}
	}
	return false
}

// TestFaultKillDuringArchiving kills omsd with SIGKILL again and again
// while outputs are archived before they are sent — while a segment is
// written, and just after one was entered into the ledger — and checks
// that once every job completed, every piece sent is in the archive
// exactly once, and the archive verifies.
func TestFaultKillDuringArchiving(t *testing.T) {
	t.Parallel()
	const cycles, perCycle, perRun = 6, 2, 20
	const runs = cycles * perCycle
	d := startDaemon(t, `version: 1
log: {format: json, level: info}
spool: {retry_delay: 1s}
printers:
  - {name: out, driver: file, file: {dir: out}}
archive: {}
workflows:
  - {name: letters, printer: out, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 100ms}
`)
	pdf := pdfBytes(t, twentyPieces(true))
	kills := 0
	for cycle := range cycles {
		before := ledgerLines(d)
		for i := range perCycle {
			drop(t, d.path("hot", "letters"), fmt.Sprintf("run-%d-%d.pdf", cycle, i), pdf)
		}
		// Kill while a segment is written, or just after one was entered
		// into the ledger (before the output is sent).
		waitFor(t, 60*time.Second, "archiving to begin", func() bool {
			if cycle%2 == 0 {
				return segmentWriting(d) || ledgerLines(d) > before
			}
			return ledgerLines(d) > before
		})
		d.kill()
		kills++
		d.start()
	}
	jobs := d.waitJobs(runs, 120*time.Second)
	sent := 0
	for _, j := range jobs {
		if j.State != "completed" {
			t.Fatalf("job %d is %s: %s\n%s", j.ID, j.State, j.Message, d.log())
		}
		sent += j.Pieces
	}
	recs := archiveRecords(t, d, "workflow=letters")
	count := map[string]int{}
	for _, r := range recs {
		count[r.ID]++
	}
	var v api.ArchiveVerify
	if err := json.Unmarshal([]byte(d.ctl("archive", "verify", "--json")), &v); err != nil {
		t.Fatal(err)
	}
	lost, doubled := 0, v.Pieces-len(count)
	for _, j := range jobs {
		for seq := 1; seq <= j.Pieces; seq++ {
			if count[fmt.Sprintf("%d-%d-0", j.ID, seq)] != 1 {
				lost++
			}
		}
	}
	t.Logf("fault counts: kills=%d sent=%d archived=%d lost=%d doubled=%d segments=%d", kills, sent, len(count), lost, doubled, v.Segments)
	if kills == 0 || lost != 0 || doubled != 0 || len(v.Problems) != 0 || sent != runs*perRun {
		t.Fatalf("kills %d, lost %d, doubled %d, sent %d of %d; verify %+v", kills, lost, doubled, sent, runs*perRun, v.Problems)
	}
}

// TestFaultArchiveDiskFull fills the filesystem of the archive: the
// output is held for want of space, the job says so, nothing is printed,
// and when space returns the output is archived and printed, once.
func TestFaultArchiveDiskFull(t *testing.T) {
	t.Parallel()
	mnt := mountTmpfs(t, "160k")
	d := startDaemon(t, fmt.Sprintf(`version: 1
log: {format: json, level: info}
spool: {min_free: 16KiB, retry_delay: 1h}
printers:
  - {name: out, driver: file, file: {dir: out}}
archive: {dir: %q}
workflows:
  - {name: letters, printer: out, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}
`, filepath.Join(mnt, "archive")))
	data, n := letters(t, 400)
	drop(t, d.path("hot", "letters"), "letters.pdf", data)
	j := d.waitHeldForResources("the job held for want of space")
	if !strings.Contains(j.Message, "archiving output 1 before it is sent: no space left on "+mnt) {
		t.Errorf("held with %q; want that the archive's filesystem is full", j.Message)
	}
	if outs, _ := filepath.Glob(d.path("out", "*")); len(outs) != 0 {
		t.Fatalf("printed while the archive was full: %v", outs)
	}
	growTmpfs(t, mnt, "64m")
	jobs := d.waitJobs(1, 2*time.Minute)
	if jobs[0].State != "completed" {
		t.Fatalf("after space returned: %s: %s", jobs[0].State, jobs[0].Message)
	}
	recs := archiveRecords(t, d, fmt.Sprintf("job=%d", j.ID))
	checkOncePerPiece(t, recs, jobs[0].Pieces)
	t.Logf("fault counts: pages %d, pieces sent %d, archived %d, lost %d, doubled 0", n, jobs[0].Pieces, len(recs), jobs[0].Pieces-len(recs))
	d.ctl("archive", "verify")
}

// killingProxy forwards TCP connections to target and calls kill once,
// as soon as one connection has carried more than after bytes towards
// it: a store that dies in the middle of an upload.
func killingProxy(t *testing.T, target string, after int64, kill func()) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var once sync.Once
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer s.Close()
				go io.Copy(c, s)
				buf := make([]byte, 8192)
				var sent int64
				for {
					n, err := c.Read(buf)
					if n > 0 {
						if _, werr := s.Write(buf[:n]); werr != nil {
							return
						}
						if sent += int64(n); sent > after {
							once.Do(kill)
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

// TestFaultS3KilledMidUpload kills the S3 store while a segment is being
// uploaded: the output waits, nothing is printed, omsd says so in its
// status and restarts without the store, and once the store is back the
// output is archived and printed, each piece once.
func TestFaultS3KilledMidUpload(t *testing.T) {
	t.Parallel()
	s3 := testpeer.StartS3(t)
	killed := make(chan struct{})
	proxy := killingProxy(t, s3.Endpoint, 64<<10, func() { s3.Kill(); close(killed) })
	cfg := strings.Replace(s3.Config("omsd-archive"), s3.Endpoint, proxy, 1)
	d := startDaemon(t, `version: 1
spool: {retry_delay: 1s}
printers:
  - {name: out, driver: file, file: {dir: out}}
`+cfg+`workflows:
  - {name: letters, printer: out, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 100ms}
`)
	data, _ := letters(t, 400)
	drop(t, d.path("hot", "letters"), "letters.pdf", data)
	select {
	case <-killed:
	case <-time.After(2 * time.Minute):
		t.Fatalf("no upload of more than 64 KB reached the store\n%s", d.log())
	}
	waitFor(t, time.Minute, "the job to say the archive holds it", func() bool {
		jobs := d.jobs()
		return len(jobs) == 1 && strings.Contains(jobs[0].Message, "archiving output 1 before it is sent")
	})
	if outs, _ := filepath.Glob(d.path("out", "*")); len(outs) != 0 {
		t.Fatalf("printed while the upload failed: %v", outs)
	}
	if st := d.ctl("status"); !strings.Contains(st, "OUTPUTS WAIT since") {
		t.Errorf("omsctl status does not say that outputs wait for the archive:\n%s", st)
	}
	// omsd restarts while the store is away, and still holds the output.
	d.kill()
	d.start()
	waitFor(t, time.Minute, "the job to say again that the archive holds it", func() bool {
		jobs := d.jobs()
		return len(jobs) == 1 && jobs[0].State != "completed" && strings.Contains(jobs[0].Message, "archiving output 1 before it is sent")
	})
	s3.Start(t)
	jobs := d.waitJobs(1, 2*time.Minute)
	if jobs[0].State != "completed" {
		t.Fatalf("job %+v\n%s", jobs[0], d.log())
	}
	recs := archiveRecords(t, d, fmt.Sprintf("job=%d", jobs[0].ID))
	checkOncePerPiece(t, recs, jobs[0].Pieces)
	var v api.ArchiveVerify
	json.Unmarshal([]byte(d.ctl("archive", "verify", "--json")), &v)
	t.Logf("fault counts: sent=%d archived=%d verified pieces=%d lost=%d doubled=%d", jobs[0].Pieces, len(recs), v.Pieces, jobs[0].Pieces-len(recs), v.Pieces-len(recs))
	if v.Pieces != len(recs) || len(v.Problems) != 0 {
		t.Fatalf("verify: %+v", v)
	}
	if st := d.ctl("status"); !strings.Contains(st, fmt.Sprintf("%d pieces", len(recs))) || strings.Contains(st, "WAIT") {
		t.Errorf("omsctl status after the store came back:\n%s", st)
	}
}

// TestFaultArchiveKillSteps crashes omsd at each step of archiving an
// output — the segment stored but not in the ledger, in the ledger but
// not indexed, indexed but the output not yet sent — restarts it, and
// checks that every piece is printed and archived exactly once.
func TestFaultArchiveKillSteps(t *testing.T) {
	t.Parallel()
	omsd := failpointOmsd(t)
	pdf := pdfBytes(t, twentyPieces(true))
	for _, point := range []string{"archive-stored", "archive-ledgered", "archive-indexed"} {
		t.Run(point, func(t *testing.T) {
			t.Parallel()
			d := startDaemon(t, `version: 1
spool: {retry_delay: 1s}
printers:
  - {name: out, driver: file, file: {dir: out}}
archive: {}
workflows:
  - {name: letters, printer: out, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 100ms}
`)
			d.stop()
			drop(t, d.path("hot", "letters"), "run.pdf", pdf)
			d.crashRun(60*time.Second, []string{failpoint.EnvVar + "=" + point}, omsd, d.args...)
			if outs, _ := filepath.Glob(d.path("out", "*")); len(outs) != 0 {
				t.Fatalf("printed before the archive step finished: %v", outs)
			}
			d.start()
			jobs := d.waitJobs(1, 60*time.Second)
			if jobs[0].State != "completed" {
				t.Fatalf("job %+v\n%s", jobs[0], d.log())
			}
			recs := archiveRecords(t, d, fmt.Sprintf("job=%d", jobs[0].ID))
			checkOncePerPiece(t, recs, jobs[0].Pieces)
			var v api.ArchiveVerify
			if err := json.Unmarshal([]byte(d.ctl("archive", "verify", "--json")), &v); err != nil {
				t.Fatal(err)
			}
			outs, _ := filepath.Glob(d.path("out", "*"))
			t.Logf("fault counts: point=%s sent=%d archived=%d in segments=%d lost=%d doubled=%d outputs=%d",
				point, jobs[0].Pieces, len(recs), v.Pieces, jobs[0].Pieces-len(recs), v.Pieces-len(recs), len(outs))
			if v.Pieces != jobs[0].Pieces || len(v.Problems) != 0 || len(outs) != 1 {
				t.Fatalf("segments hold %d pieces of %d, %d outputs; verify %+v", v.Pieces, jobs[0].Pieces, len(outs), v.Problems)
			}
		})
	}
}
