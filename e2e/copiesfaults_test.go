package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/testpeer"
)

// copiesFaultConfig: LPD queue stmts prints to a raw socket printer at
// host:port, retrying without end.
func copiesFaultConfig(lpdPort int, host, port string) string {
	return fmt.Sprintf(`version: 1
log: {format: json, level: info}
spool: {retry_delay: 1s}
printers:
  - name: dev
    driver: socket
    socket: {host: %s, port: %s, wait_close: 10s}
    error_policy: {action: retry-job, interval: 200ms, limit: 1000}
workflows:
  - {name: letters, printer: dev, pieces: {method: bookmarks}}
receivers:
  queues:
    - {name: stmts, workflow: letters}
  lpd:
    listen: 127.0.0.1:%d
`, host, port, lpdPort)
}

// lprCopies sends data to omsd's LPD queue stmts at addr as one job that
// prints it copies times (its data file named on that many print lines).
func lprCopies(t *testing.T, addr string, data []byte, copies int) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute))
	control := "Hhost\nPalice\nJcopies.pdf\n" + strings.Repeat("ldfA001host\n", copies)
	ack := make([]byte, 1)
	for _, step := range []string{
		"\x02stmts\n",
		fmt.Sprintf("\x02%d cfA001host\n", len(control)), control + "\x00",
		fmt.Sprintf("\x03%d dfA001host\n", len(data)), string(data) + "\x00",
	} {
		io.WriteString(conn, step)
		if _, err := io.ReadFull(conn, ack); err != nil || ack[0] != 0 {
			t.Fatalf("lpd: after %q: ack %v (%v)", step[:min(len(step), 20)], ack, err)
		}
	}
}

// TestFaultKillWhileSendingCopies kills omsd with SIGKILL twice while a
// raw socket printer (socat, behind a relay slow enough for a copy to
// take about a second) receives a job's copies, each a document of its
// own: once while a copy is under way at the printer (two copies after
// the start), once right after a copy arrived whole (two more copies
// later). omsd records each copy the printer took before it sends the
// next, and a resend starts with the first copy not recorded. The
// printer cannot tell omsd what it got, so the rule is at least once,
// copy by copy: every piece arrives at least copies times (the output
// whole in as many documents), and more only by the copy under way at a
// kill, at most one per kill; the job completes once. A copy cut off by a
// kill arrives short and does not count as received. (Were every copy
// sent again after a kill, the printer would get 5 or more too many.)
func TestFaultKillWhileSendingCopies(t *testing.T) {
	t.Parallel()
	// Six copies of about a second each: room for two kills two copies
	// apart on a loaded machine.
	const copies, kills, copiesPerRun = 6, 2, 2
	sock := testpeer.StartSocketPeer(t)
	relay := relayAt(t, fmt.Sprintf("%s:%d", sock.Host, sock.Port), 512) // about 64 KB/s
	host, port, _ := strings.Cut(relay, "%")
	lpdPort := testpeer.FreePort(t)
	d := startDaemon(t, copiesFaultConfig(lpdPort, host, port))
	o := manyPieces(100)
	data := pdfBytes(t, o)
	lprCopies(t, fmt.Sprintf("127.0.0.1:%d", lpdPort), data, copies)

	completed := func() bool { jobs := d.jobs(); return len(jobs) == 1 && jobs[0].State == "completed" }
	// underWay: the printer has taken part of a copy (socat writes it to
	// a hidden temporary file until the sender closes).
	underWay := func() bool {
		tmps, _ := filepath.Glob(filepath.Join(sock.Dir, ".job-*.tmp"))
		for _, f := range tmps {
			if fi, err := os.Stat(f); err == nil && fi.Size() > 0 {
				return true
			}
		}
		return false
	}
	killed := 0
	for ; killed < kills; killed++ {
		base := len(sock.Jobs(t))
		midCopy := killed == 0
		what := fmt.Sprintf("%d more copies at the printer", copiesPerRun)
		if midCopy {
			what += " and the next under way"
		}
		waitFor(t, 2*time.Minute, what+", or the job completed", func() bool {
			return len(sock.Jobs(t)) >= base+copiesPerRun && (!midCopy || underWay()) || completed()
		})
		if completed() {
			break
		}
		d.kill()
		d.start()
	}
	jobs := d.waitJobs(1, 2*time.Minute)
	j := d.job(jobs[0].ID)
	if j.State != "completed" {
		t.Fatalf("job %s: %s\n%s", j.State, j.Message, d.log())
	}
	if j.Copies != copies {
		t.Fatalf("job copies %d; want %d", j.Copies, copies)
	}
	files, _ := filepath.Glob(d.path("spool", "jobs", strconv.FormatInt(j.ID, 10), "output*"))
	if len(files) != 1 || len(j.Outputs) != 1 {
		t.Fatalf("job %d: output files %v, outputs %+v; want one", j.ID, files, j.Outputs)
	}
	output, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	received, short := 0, 0
	for _, f := range sock.Jobs(t) {
		got, _ := os.ReadFile(f)
		if bytes.Equal(got, output) {
			received++
		} else {
			short++
		}
	}
	lost, doubled := max(0, copies-received), max(0, received-copies)
	sent, _ := deliveryCounts(j)
	t.Logf("fault counts: %d-byte output, omsd kills %d, pieces %d, copies %d, piece transmissions %d, documents at the printer %d, whole copies received %d (read from socat), cut off by a kill %d, lost %d, doubled %d (allowed: one per kill)",
		len(output), killed, len(o.Pieces), copies, sent, received+short, received, short, lost, doubled)
	if killed < kills {
		t.Errorf("the job completed after %d kills; want %d while it sent copies", killed, kills)
	}
	if lost > 0 {
		t.Errorf("the printer got %d whole copies; want at least %d: every piece short of %d copies", received, copies, lost)
	}
	if doubled > killed {
		t.Errorf("the printer got %d whole copies after %d kills; want at most %d (one per kill)", received, killed, copies+killed)
	}
	if n := len(d.jobs()); n != 1 {
		t.Errorf("%d jobs; want the one job, completed once", n)
	}
}

// TestReprintMakesTheCopies: omsctl reprint of a piece of a job printed
// in 3 copies prints it in 3 copies again (the file printer writes each
// copy as a file of its own); with --copies 1, once.
func TestReprintMakesTheCopies(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, lpdConfig(port))
	lprCopies(t, fmt.Sprintf("127.0.0.1:%d", port), pdfBytes(t, manyPieces(2)), 3)
	jobs := d.waitJobs(1, time.Minute)
	if jobs[0].State != "completed" || jobs[0].Copies != 3 {
		t.Fatalf("job %+v; want completed, 3 copies", jobs[0])
	}
	printed := func() int { files, _ := filepath.Glob(d.path("out", "*")); return len(files) }
	if n := printed(); n != 3 {
		t.Fatalf("the printer got %d files; want 3 copies", n)
	}
	out := d.ctl("reprint", strconv.FormatInt(jobs[0].ID, 10), "--pieces", "1")
	if !strings.Contains(out, "of 1 pieces") {
		t.Fatalf("omsctl reprint: %s", out)
	}
	jobs = d.waitJobs(2, time.Minute)
	if r := d.job(jobs[1].ID); r.ReprintOf != jobs[0].ID || r.Copies != 3 || r.State != "completed" {
		t.Fatalf("reprint job %+v; want 3 copies of job %d, completed", r.Job, jobs[0].ID)
	}
	waitFor(t, time.Minute, "the reprint's 3 copies at the printer", func() bool { return printed() >= 6 })
	if n := printed(); n != 6 {
		t.Errorf("the printer got %d files; want 3 copies and 3 of the reprint", n)
	}

	if out, err := d.ctlErr("reprint", strconv.FormatInt(jobs[0].ID, 10), "--pieces", "1", "--copies", "1000"); err == nil || !strings.Contains(out, "1 to 999") {
		t.Errorf("omsctl reprint --copies 1000: %v\n%s", err, out)
	}
	d.ctl("reprint", strconv.FormatInt(jobs[0].ID, 10), "--pieces", "1", "--copies", "1")
	jobs = d.waitJobs(3, time.Minute)
	if r := d.job(jobs[2].ID); r.Copies > 1 || r.State != "completed" {
		t.Fatalf("reprint job %+v; want one copy, completed", r.Job)
	}
	waitFor(t, time.Minute, "the one-copy reprint at the printer", func() bool { return printed() >= 7 })
	if n := printed(); n != 7 {
		t.Errorf("the printer got %d files; want 7 (3, 3, then 1)", n)
	}
}
