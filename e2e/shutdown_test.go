package e2e

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/records"
	"github.com/omsd/omsd/spool"
)

// shutdownBound is how long omsd may take to exit after SIGTERM in these
// tests. omsd stops within 2 s on an idle machine (well under 1 s as
// measured here); the bound is loose for a loaded one, and far below the
// time the work in progress would take to finish (15 s and more before
// omsd stopped between steps).
const shutdownBound = 5 * time.Second

// TestShutdownPromptResultApply: SIGTERM while a result file of 50,000
// events is applied stops omsd between two batches; after the restart the
// rest is applied and each piece has exactly its events.
func TestShutdownPromptResultApply(t *testing.T) {
	t.Parallel()
	const pieces, rounds = 20, 2500
	d := startDaemon(t, faultLoopConfig)
	id := printedRun(t, d, pieces)
	dropResult(t, d, "big.jrf", bigResult(id, pieces, rounds)...)
	waitFor(t, 120*time.Second, "the first events applied", func() bool { return unreadOf(d, id, 1) > 0 })
	took := d.term()
	applied := appliedOffline(t, d, id)
	t.Logf("omsd exited %v after SIGTERM, with %d of %d events applied", took, applied, pieces*rounds)
	if applied >= pieces*rounds {
		t.Fatalf("omsd applied the whole file before it exited (%v)", took)
	}
	if took > shutdownBound {
		t.Errorf("omsd took %v to exit after SIGTERM mid-apply, want under %v", took, shutdownBound)
	}
	d.start()
	waitResultApplied(t, d, id, rounds)
	checkUnread(t, d, id, pieces, rounds)
}

// bigResult is a JRF result file reporting every piece of job id unread,
// rounds times.
func bigResult(id int64, pieces, rounds int) []string {
	var lines []string
	for range rounds {
		for s := 1; s <= pieces; s++ {
			lines = append(lines, jrfLine(id, s, "00"))
		}
	}
	return lines
}

// unreadOf is the number of unread events of piece seq of job id, or -1
// when omsctl cannot tell.
func unreadOf(d *daemon, id int64, seq int) int {
	out, err := d.ctlErr("track", fmt.Sprintf("%d/%d", id, seq), "--json")
	if err != nil {
		return -1
	}
	return strings.Count(out, `"unread"`)
}

// appliedOffline counts the unread events of job id in the spool of a
// stopped omsd.
func appliedOffline(t *testing.T, d *daemon, id int64) int {
	t.Helper()
	s, err := spool.Open(filepath.Join(d.stateDir(), "spool"))
	if err != nil {
		t.Fatal(err)
	}
	tracks, err := s.Tracks(id)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	applied := 0
	for _, evs := range tracks {
		for _, e := range evs {
			if e.Kind == records.EventUnread {
				applied++
			}
		}
	}
	return applied
}

// waitResultApplied waits until big.jrf is in the done folder, for as long
// as its events keep being applied (piece 1 gets one in 20).
func waitResultApplied(t *testing.T, d *daemon, id int64, rounds int) {
	t.Helper()
	waitProgress(t, time.Minute, "big.jrf applied", func() bool {
		return fileExists(d.path("line", "results", "done", "big.jrf"))
	}, func() int { return unreadOf(d, id, 1) })
}

// checkUnread checks that each piece has exactly rounds unread events.
func checkUnread(t *testing.T, d *daemon, id int64, pieces, rounds int) {
	t.Helper()
	for seq := 1; seq <= pieces; seq++ {
		n := 0
		for _, k := range kinds(d.track(id, seq)) {
			if k == "unread" {
				n++
			}
		}
		if n != rounds {
			t.Errorf("piece %d has %d unread events, want %d", seq, n, rounds)
		}
	}
}

const bigJobConfig = `version: 1
printers:
  - {name: out, driver: file, file: {dir: out}}
workflows:
  - {name: mail, printer: out, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/mail, workflow: mail, scan_interval: 100ms}
`

// TestShutdownPromptAnalysis: SIGTERM in the middle of the analysis of a
// large print file stops omsd without waiting for the analysis; after the
// restart the job is analysed again and completes with all its pieces.
func TestShutdownPromptAnalysis(t *testing.T) {
	t.Parallel()
	const pages = 50_000
	o := pdftest.Options{Bookmarks: true, Balanced: true}
	for range pages {
		o.Pieces = append(o.Pieces, 1)
	}
	pdf := pdfBytes(t, o)
	d := startDaemon(t, bigJobConfig)
	drop(t, d.path("hot", "mail"), "big.pdf", pdf)
	waitFor(t, 120*time.Second, "the job taken in", func() bool {
		jobs := d.jobs()
		return len(jobs) == 1 && !hasReason(jobs[0].StateReasons, "job-incoming")
	})
	took := d.term()
	t.Logf("omsd exited %v after SIGTERM", took)
	if !strings.Contains(d.log(), "analysis left off") {
		t.Fatalf("the analysis ended before SIGTERM; make the print file larger:\n%s", d.log())
	}
	if took > shutdownBound {
		t.Errorf("omsd took %v to exit after SIGTERM mid-analysis, want under %v", took, shutdownBound)
	}
	d.start()
	var jobs []api.Job
	// The log is the only sign of progress here, and it stays quiet while
	// the 50,000 pieces are sent and recorded: over two minutes once on a
	// machine busy with the parallel tests.
	waitProgress(t, 5*time.Minute, "the job completed", func() bool {
		jobs = d.jobs()
		return len(jobs) == 1 && jobs[0].State == "completed"
	}, func() int { return len(d.log()) })
	if jobs[0].Pieces != pages {
		t.Errorf("job after the restart: %+v", jobs[0])
	}
}

func hasReason(reasons []string, r string) bool {
	for _, x := range reasons {
		if x == r {
			return true
		}
	}
	return false
}

// TestShutdownPromptSend: SIGTERM while an output is being sent to a
// printer that has stopped reading stops omsd at once, and the job waits
// to be sent again from its first unconfirmed piece.
func TestShutdownPromptSend(t *testing.T) {
	t.Parallel()
	port := stalledPrinter(t)
	d := startDaemon(t, fmt.Sprintf(`version: 1
printers:
  - {name: slow, driver: socket, socket: {host: 127.0.0.1, port: %d, write_timeout: 10m}}
workflows:
  - {name: mail, printer: slow, pieces: {method: whole}}
hot_folders:
  - {dir: hot/mail, workflow: mail, scan_interval: 100ms}
`, port))
	o := pdftest.Options{Balanced: true}
	for range 20_000 { // 8 MB, more than the socket buffers hold
		o.Pieces = append(o.Pieces, 1)
	}
	drop(t, d.path("hot", "mail"), "big.pdf", pdfBytes(t, o))
	waitFor(t, 120*time.Second, "the job being sent", func() bool {
		jobs := d.jobs()
		return len(jobs) == 1 && jobs[0].State == "processing"
	})
	took := d.term()
	t.Logf("omsd exited %v after SIGTERM", took)
	if took > shutdownBound {
		t.Errorf("omsd took %v to exit after SIGTERM mid-send, want under %v", took, shutdownBound)
	}
	s, err := spool.Open(filepath.Join(d.stateDir(), "spool"))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := s.Jobs()
	s.Close()
	if err != nil || len(jobs) != 1 || jobs[0].State != spool.Pending || jobs[0].Outputs[0].Sent {
		t.Fatalf("job after SIGTERM mid-send: %+v, %v", jobs, err)
	}
}

// stalledPrinter starts a raw print port (socat) that accepts connections
// and never reads what is sent, as a printer jammed mid-job, and returns
// its port.
func stalledPrinter(t *testing.T) int {
	t.Helper()
	socat, err := exec.LookPath("socat")
	if err != nil {
		t.Fatal("socat is missing: install Debian package socat")
	}
	port := testpeer.FreePort(t)
	cmd := exec.Command(socat, "-u", fmt.Sprintf("TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork,rcvbuf=4096", port), "EXEC:sleep 600")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	waitFor(t, 20*time.Second, "socat to listen", func() bool {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return port
}
