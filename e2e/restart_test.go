package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
)

// singleConfig is a configuration whose workflow prints to the IPP
// printer laser, plus any extra printers (YAML list items).
func singleConfig(uri, policy, extra string) string {
	return fmt.Sprintf(`version: 1
log: {format: json, level: info}
spool: {retry_delay: 1s}
printers:
  - name: laser
    driver: ipp
    ipp: {uri: %q, poll_interval: 100ms}
    error_policy: %s
%sworkflows:
  - name: letters
    printer: laser
    pieces: {method: bookmarks}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}
`, uri, policy, extra)
}

// TestKilledPrinterResumesFromFirstUnconfirmedPiece kills an IPP printer
// in the middle of a job and starts it again: omsd sends only the pieces
// the printer had not confirmed, and every page is printed. Then the
// operator restarts some pieces and the tail of the run.
func TestKilledPrinterResumesFromFirstUnconfirmedPiece(t *testing.T) {
	t.Parallel()
	p := startPagePrinter(t, "0.04")
	d := startDaemon(t, singleConfig(p.URI, "{action: retry-job, interval: 300ms, limit: 20}", ""))
	o := manyPieces(30) // 60 pages
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))

	waitFor(t, 30*time.Second, "the printer to print 20 pages", func() bool { return p.printedLines() >= 20 })
	p.Stop()
	time.Sleep(500 * time.Millisecond)
	p.Restart(t)
	jobs := d.waitJobs(1, 60*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("job %s: %s\n%s", jobs[0].State, jobs[0].Message, d.log())
	}
	id := jobs[0].ID
	j := d.job(id)
	twice := checkEveryPageOnce(t, o, printedPages(t, p), j)
	copies, _ := filepath.Glob(filepath.Join(p.dir, "*.pdf"))
	if len(copies) != 2 {
		t.Fatalf("printer got %d documents; want 2 (the run, then its unconfirmed rest)", len(copies))
	}
	if n := pdfPages(t, copies[1]); n >= o.PageCount() || n < 60-p.printedLines() {
		t.Errorf("the resend has %d pages of %d; want only the unconfirmed rest", n, o.PageCount())
	}
	t.Logf("resend of %d pages; %d pages printed twice, recorded", pdfPages(t, copies[1]), twice)
	if twice > 6 {
		t.Errorf("%d pages printed twice; the resend should start near the last confirmed page", twice)
	}

	before := printedPages(t, p)
	d.ctl("job", "restart", fmt.Sprint(id), "--pieces", "2,5-6")
	waitFor(t, 30*time.Second, "the reprint", func() bool { return d.job(id).State == "completed" && p.printedLines() >= 60+len(copies)+1 })
	d.ctl("job", "restart", fmt.Sprint(id), "--from-piece", "29")
	waitFor(t, 30*time.Second, "the second reprint", func() bool {
		return d.job(id).State == "completed" && printedPages(t, p)[pdftest.PageText(29, 0)] > before[pdftest.PageText(29, 0)]
	})
	after := printedPages(t, p)
	for i := range o.Pieces {
		want := 0
		if i == 1 || i == 4 || i == 5 || i >= 28 {
			want = 1
		}
		text := pdftest.PageText(i, 0)
		if got := after[text] - before[text]; got != want {
			t.Errorf("piece %d printed %d more times after the restarts; want %d", i+1, got, want)
		}
	}
	j = d.job(id)
	if dl := j.PiecesDetail[4].Delivery; dl == nil || dl.Sends < 2 {
		t.Errorf("piece 5 delivery %+v; want at least 2 sends", dl)
	}
	show := d.ctl("job", "show", fmt.Sprint(id))
	if !strings.Contains(show, "reprint") {
		t.Errorf("job show does not list the reprint outputs:\n%s", show)
	}
}

// TestFaultyPoolMembersFailOver puts an LPD that refuses jobs (LPRng, a
// queue with spooling disabled) and a socket printer that resets after
// 4 KiB into a pool with one good IPP printer: every page ends printed
// once on the IPP printer.
func TestFaultyPoolMembersFailOver(t *testing.T) {
	t.Parallel()
	lpd := testpeer.StartLPD(t)
	reset := testpeer.StartResetPeer(t, 4096)
	good := startPagePrinter(t, "0.005")
	policy := "{action: retry-job, interval: 200ms, limit: 1, failover_after: 1}"
	cfg := fmt.Sprintf(`version: 1
log: {format: json, level: info}
spool: {retry_delay: 1s}
printers:
  - name: lpd
    driver: lpr
    lpr: {host: %s, port: %d, queue: %s, timeout: 5s}
    error_policy: %s
  - name: sock
    driver: socket
    socket: {host: %s, port: %d, wait_close: 1s}
    error_policy: %s
  - name: good
    driver: ipp
    ipp: {uri: %q, poll_interval: 100ms}
    error_policy: %s
pools:
  - {name: room, printers: [lpd, sock, good], chunk_sheets: 400}
workflows:
  - {name: letters, printer: room, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}
`, lpd.Host, lpd.Port, testpeer.LPDClosedQueue, policy, reset.Host, reset.Port, policy, good.URI, policy)
	d := startDaemon(t, cfg)
	// 800 sheets in 2 chunks of about 80 KB, more than the reset peer's
	// receive buffer, so it resets in the middle of a chunk.
	o := manyPieces(400)
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))
	jobs := d.waitJobs(1, 90*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("job %s: %s\n%s", jobs[0].State, jobs[0].Message, d.log())
	}
	j := d.job(jobs[0].ID)
	counts := printedPages(t, good)
	if twice := checkEveryPageOnce(t, o, counts, j); twice != 0 {
		t.Errorf("%d pages printed twice on the one printer that prints", twice)
	}
	if n := len(lpd.Jobs(t, testpeer.LPDClosedQueue)); n != 0 {
		t.Errorf("the closed LPD queue holds %d jobs", n)
	}
	if ev := eventsText(j); !strings.Contains(ev, "moved from lpd") && !strings.Contains(ev, "moved from sock") {
		t.Errorf("no output moved away from a faulty member; events:\n%s", ev)
	}
	t.Logf("socket peer read %d bytes before resetting; events:\n%s", reset.Received(), eventsText(j))
}

// TestRefusingLPDStopsJobThenMove sends a run to an LPD queue that
// refuses jobs: after the retry limit the job is stopped with the reason,
// nothing lost; moved to an IPP printer, it prints whole.
func TestRefusingLPDStopsJobThenMove(t *testing.T) {
	t.Parallel()
	lpd := testpeer.StartLPD(t)
	p := startPagePrinter(t, "0.005")
	cfg := fmt.Sprintf(`version: 1
log: {format: json, level: info}
printers:
  - name: lpd
    driver: lpr
    lpr: {host: %s, port: %d, queue: %s, timeout: 5s}
    error_policy: {action: retry-job, interval: 200ms, limit: 2}
  - name: laser
    driver: ipp
    ipp: {uri: %q, poll_interval: 100ms}
workflows:
  - {name: letters, printer: lpd, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}
`, lpd.Host, lpd.Port, testpeer.LPDClosedQueue, p.URI)
	d := startDaemon(t, cfg)
	o := manyPieces(10)
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))
	waitFor(t, 30*time.Second, "the job to stop", func() bool {
		jobs := d.jobs()
		return len(jobs) == 1 && jobs[0].State == "stopped"
	})
	j := d.jobs()[0]
	if !strings.Contains(j.Message, "error_policy limit") || !strings.Contains(strings.Join(j.StateReasons, ","), "printer-stopped") {
		t.Errorf("stopped job: %v %q; want the reason", j.StateReasons, j.Message)
	}
	d.ctl("job", "move", fmt.Sprint(j.ID), "laser")
	jobs := d.waitJobs(1, 30*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("moved job %s: %s", jobs[0].State, jobs[0].Message)
	}
	if twice := checkEveryPageOnce(t, o, printedPages(t, p), d.job(j.ID)); twice != 0 {
		t.Errorf("%d pages printed twice", twice)
	}
}
