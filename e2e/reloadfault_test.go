package e2e

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFaultKillOmsdDuringReload kills omsd (SIGKILL) while a reload waits
// for a send to a real IPP printer (ippeveprinter printing page by page)
// to finish, then starts it again, as systemd would, on the file the
// reload was reading: the job completes with every page printed, a page
// printed twice only where its piece's resend is recorded, and the new
// configuration is in effect.
func TestFaultKillOmsdDuringReload(t *testing.T) {
	t.Parallel()
	p := startPagePrinter(t, "0.05")
	printer := fmt.Sprintf("    driver: ipp\n    ipp: {uri: %q, poll_interval: 200ms}\n", p.URI)
	d := startDaemon(t, faultConfig(printer))
	o := manyPieces(30) // 60 pages, 3 s of printing
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))
	waitFor(t, time.Minute, "the printer to print 8 pages", func() bool { return p.printedLines() >= 8 })

	extra := strings.Replace(faultConfig(printer), "workflows:\n",
		"  - name: extra\n    driver: file\n    file: {dir: out-extra}\nworkflows:\n", 1)
	if err := os.WriteFile(d.args[1], []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, time.Minute, "the reload to wait for the send under way", func() bool {
		return strings.Contains(d.log(), "reload waits for the sends under way to finish")
	})
	d.kill()
	d.start()

	jobs := d.waitJobs(1, 120*time.Second)
	j := d.job(jobs[0].ID)
	p.waitPrintedAll(t)
	counts := printedPages(t, p)
	_, lost, twice := pageTally(o, counts)
	sent, resent := deliveryCounts(j)
	t.Logf("fault counts: omsd kills 1 (mid-reload), pieces %d, piece transmissions %d, documents at the printer %d, pages %d, pages printed %d (read from the print command's log), lost %d, printed twice %d, pieces resent (recorded) %d",
		len(o.Pieces), sent, len(p.Jobs(t)), o.PageCount(), p.printedLines(), lost, twice, resent)
	if j.Job.State != "completed" {
		t.Fatalf("job %s: %s", j.Job.State, j.Job.Message)
	}
	checkEveryPageOnce(t, o, counts, j)
	if st := status(t, d); !slices.Contains(st.Printers, "extra") {
		t.Errorf("printers after the restart %v, want the reloaded file's extra", st.Printers)
	}
}
