package e2e

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/testpeer"
)

// faultConfig is a configuration whose workflow prints to printer, a
// YAML printer entry, with an error policy that keeps retrying.
func faultConfig(printer string) string {
	return fmt.Sprintf(`version: 1
log: {format: json, level: info}
spool: {retry_delay: 1s}
printers:
  - name: dev
%s    error_policy: {action: retry-job, interval: 200ms, limit: 1000}
workflows:
  - name: letters
    printer: dev
    pieces: {method: bookmarks}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}
`, printer)
}

// deliveryCounts sums a job's delivery records: transmissions of pieces,
// and pieces sent more than once (resends omsd recorded).
func deliveryCounts(j api.JobDetail) (sent, resent int) {
	for _, p := range j.PiecesDetail {
		if p.Delivery == nil {
			continue
		}
		sent += p.Delivery.Sends
		if p.Delivery.Sends > 1 {
			resent++
		}
	}
	return sent, resent
}

// TestFaultIPPRestart kills a real IPP printer (ippeveprinter and its slow
// print command, with SIGKILL) while it prints and starts it again at
// once, up to 10 times in a row (at least 4: on a loaded machine the
// printer may get further between two looks at it). The printer forgets the job each time; omsd
// must not take a forgotten job as completed: it sends the job again from
// its first unconfirmed piece, and records the resend. Every page is
// printed, and every page printed twice belongs to a recorded resend. The
// job is followed once a second, so most restarts fall between two polls.
func TestFaultIPPRestart(t *testing.T) {
	t.Parallel()
	const kills, minKills, pagesBeforeKill = 10, 4, 6
	p := startPagePrinter(t, "0.05")
	d := startDaemon(t, faultConfig(fmt.Sprintf("    driver: ipp\n    ipp: {uri: %q, poll_interval: 1s}\n", p.URI)))
	o := manyPieces(100) // 200 pages, 10 s of printing
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))

	done := func() bool {
		jobs := d.jobs()
		return len(jobs) == 1 && jobs[0].State == "completed"
	}
	killed := 0
	for ; killed < kills; killed++ {
		base := p.printedLines()
		waitFor(t, 60*time.Second, fmt.Sprintf("the printer to print %d pages after restart %d", pagesBeforeKill, killed), func() bool {
			return p.printedLines() >= base+pagesBeforeKill || done()
		})
		if done() {
			break
		}
		p.Kill()
		p.Restart(t)
	}
	jobs := d.waitJobs(1, 120*time.Second)
	j := d.job(jobs[0].ID)
	counts := printedPages(t, p)
	printed, lost, twice := pageTally(o, counts)
	sent, resent := deliveryCounts(j)
	resendEvents := strings.Count(eventsText(j), "resent ")
	t.Logf("fault counts: kills %d, pieces %d, piece transmissions %d, pages %d, pages printed %d (read from the print command's log), lost %d, printed twice %d, pieces resent (recorded) %d, resend events %d",
		killed, len(o.Pieces), sent, o.PageCount(), printed, lost, twice, resent, resendEvents)
	if killed < minKills {
		t.Errorf("the job completed after %d kills; want at least %d kills while it printed", killed, minKills)
	}
	if j.State != "completed" {
		t.Fatalf("job %s: %s", j.State, j.Message)
	}
	checkEveryPageOnce(t, o, counts, j)
	if resent > 0 && resendEvents == 0 {
		t.Errorf("%d pieces were sent again but no resend event says so; events:\n%s", resent, eventsText(j))
	}
}

// TestFaultSocketReset sends a job to a raw socket port whose peer reads
// part of each connection and resets it, while its kernel had taken the
// whole (small) document: the job must not complete. Then a real socat
// takes over the port and the job completes, the bytes received equal to
// the output.
func TestFaultSocketReset(t *testing.T) {
	t.Parallel()
	o := manyPieces(4)
	data := pdfBytes(t, o)
	readBeforeReset := int64(len(data) * 3 / 4)
	reset := testpeer.StartResetPeer(t, readBeforeReset)
	d := startDaemon(t, faultConfig(fmt.Sprintf("    driver: socket\n    socket: {host: %s, port: %d, wait_close: 5s}\n", reset.Host, reset.Port)))
	drop(t, d.path("hot", "letters"), "run.pdf", data)

	const attempts = 3
	waitFor(t, 60*time.Second, fmt.Sprintf("%d reset attempts, or the job completed", attempts), func() bool {
		jobs := d.jobs()
		return reset.Received() >= attempts*readBeforeReset || (len(jobs) == 1 && jobs[0].State == "completed")
	})
	jobs := d.jobs()
	if len(jobs) != 1 || jobs[0].State == "completed" {
		t.Fatalf("jobs %+v: completed although the printer reset every connection", jobs)
	}
	resetAttempts := reset.Received() / readBeforeReset
	reset.Stop()
	sock := testpeer.StartSocketPeerAt(t, reset.Port)
	jobs = d.waitJobs(1, 60*time.Second)
	j := d.job(jobs[0].ID)
	files := sock.Jobs(t)
	sent, resent := deliveryCounts(j)
	received := 0
	for _, f := range files {
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("socat received %d bytes that are not the %d-byte output", len(got), len(data))
		}
		received++
	}
	t.Logf("fault counts: %d-byte document, reset after %d bytes %d times, pieces %d, piece transmissions %d, documents printed %d (read from socat), lost %d, doubled %d, pieces resent (recorded) %d",
		len(data), readBeforeReset, resetAttempts, len(o.Pieces), sent, received, max(0, 1-received), max(0, received-1), resent)
	if j.State != "completed" {
		t.Fatalf("job %s: %s", j.State, j.Message)
	}
	if received != 1 {
		t.Errorf("socat received %d documents; want 1", received)
	}
	if resent != len(o.Pieces) || !strings.Contains(eventsText(j), "resent ") {
		t.Errorf("%d of %d pieces recorded as resent; events:\n%s", resent, len(o.Pieces), eventsText(j))
	}
}

// TestFaultKillOmsdMidSend kills omsd with SIGKILL three times while an
// IPP printer prints its job. The printer finishes each document it got;
// omsd, started again, sends the job again from its first unconfirmed
// piece. A transmission cut off by the crash must still count: every page
// printed twice belongs to a piece recorded as sent twice.
func TestFaultKillOmsdMidSend(t *testing.T) {
	t.Parallel()
	const kills, pagesBeforeKill = 3, 8
	p := startPagePrinter(t, "0.05")
	d := startDaemon(t, faultConfig(fmt.Sprintf("    driver: ipp\n    ipp: {uri: %q, poll_interval: 200ms}\n", p.URI)))
	o := manyPieces(100) // 200 pages, 10 s of printing: room for the three kills
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))

	killed := 0
	for ; killed < kills; killed++ {
		base := p.printedLines()
		completed := func() bool { jobs := d.jobs(); return len(jobs) == 1 && jobs[0].State == "completed" }
		// On a loaded machine the resend may already be printed whole
		// before the printer is looked at again: then the job is done.
		waitFor(t, 60*time.Second, fmt.Sprintf("the printer to print %d pages after omsd start %d, or the job completed", pagesBeforeKill, killed+1), func() bool {
			return p.printedLines() >= base+pagesBeforeKill || completed()
		})
		if completed() {
			break
		}
		d.kill()
		d.start()
	}
	jobs := d.waitJobs(1, 120*time.Second)
	j := d.job(jobs[0].ID)
	p.waitPrintedAll(t) // the printer finishes what it got
	counts := printedPages(t, p)
	_, lost, twice := pageTally(o, counts)
	sent, resent := deliveryCounts(j)
	t.Logf("fault counts: omsd kills %d, pieces %d, piece transmissions %d, documents at the printer %d, pages %d, pages printed %d (read from the print command's log), lost %d, printed twice %d, pieces resent (recorded) %d",
		killed, len(o.Pieces), sent, len(p.Jobs(t)), o.PageCount(), p.printedLines(), lost, twice, resent)
	if j.State != "completed" {
		t.Fatalf("job %s: %s", j.State, j.Message)
	}
	checkEveryPageOnce(t, o, counts, j)
}
