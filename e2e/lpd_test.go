package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/testpeer"
)

// lpdConfig is omsd with an LPD receiver on port: queue stmts prints,
// queue held keeps its jobs held (for lpq and lprm).
func lpdConfig(port int) string {
	return fmt.Sprintf(`version: 1
printers:
  - {name: out, driver: file, file: {dir: out}}
workflows:
  - {name: mail, printer: out, pieces: {method: whole}}
  - {name: later, printer: out, pieces: {method: whole}}
receivers:
  queues:
    - {name: stmts, workflow: mail, metadata: {channel: print}}
    - {name: held, workflow: later, hold: true}
  default_queue: stmts
  lpd:
    listen: 127.0.0.1:%d
    idle_timeout: 5s
`, port)
}

// lpdDaemon starts omsd with an LPD receiver on a free port.
func lpdDaemon(t *testing.T) (*daemon, string) {
	port := testpeer.FreePort(t)
	d := startDaemon(t, lpdConfig(port))
	return d, "127.0.0.1%" + strconv.Itoa(port)
}

// spoolInput is the print file omsd keeps for job id: in the spool, or in
// the error folder when analysis rejected it.
func (d *daemon) spoolInput(id int64) []byte {
	d.t.Helper()
	files, _ := filepath.Glob(d.path("spool", "jobs", strconv.FormatInt(id, 10), "input*"))
	if len(files) == 0 {
		files, _ = filepath.Glob(d.path("error", d.job(id).Name))
	}
	if len(files) != 1 {
		d.t.Fatalf("job %d: input files %v", id, files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		d.t.Fatal(err)
	}
	return b
}

// TestLPDFromLPRng: LPRng's lpr (control file first, LPRng's A, D and Q
// lines) delivers a byte-identical job whose control lines reach every
// piece as metadata; lpq lists omsd's jobs and lprm removes a queued one.
func TestLPDFromLPRng(t *testing.T) {
	t.Parallel()
	lpr := testpeer.LPRng(t)
	d, host := lpdDaemon(t)
	pdf := filepath.Join(d.dir, "letters.pdf")
	data, err := os.ReadFile("../examples/letters.pdf")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(pdf, data, 0o644)

	if out, err := lpr.Run(t, "lpr", "-P", "stmts@"+host, "-J", "march run", "-C", "B", "-U", "alice", pdf); err != nil {
		t.Fatalf("lpr: %v\n%s", err, out)
	}
	jobs := d.waitJobs(1, time.Minute)
	j := jobs[0]
	if j.State != "completed" || j.Name != "march run" || j.User != "alice" || j.Source != "lpd" ||
		!strings.HasPrefix(j.Origin, "lpd alice@127.0.0.1:") {
		t.Fatalf("job %+v", j)
	}
	if got := d.spoolInput(j.ID); !bytes.Equal(got, data) {
		t.Errorf("the spooled file (%d bytes) differs from the one sent (%d bytes)", len(got), len(data))
	}
	meta := d.job(j.ID).PiecesDetail[0].Meta
	for k, want := range map[string]string{"lpd_user": "alice", "lpd_job": "march run", "lpd_class": "B",
		"lpd_queue": "stmts", "lpd_format": "f", "channel": "print"} {
		if meta[k] != want {
			t.Errorf("piece metadata %s = %q, want %q (all: %v)", k, meta[k], want, meta)
		}
	}
	if meta["lpd_id"] == "" || meta["lpd_date"] == "" {
		t.Errorf("LPRng's A and D lines missing from the metadata: %v", meta)
	}
	if out := d.ctl("jobs"); !strings.Contains(out, "lpd alice@127.0.0.1") {
		t.Errorf("omsctl jobs does not say where the job came from:\n%s", out)
	}
	var st api.Status
	json.Unmarshal([]byte(d.ctl("status", "--json")), &st)
	if len(st.Listeners) != 1 || st.Listeners[0].Protocol != "lpd" || st.Listeners[0].Accepted == 0 {
		t.Errorf("status listeners %+v", st.Listeners)
	}

	// lpq and lprm on a queue whose jobs stay held.
	for _, user := range []string{"bob", "carol"} {
		if out, err := lpr.Run(t, "lpr", "-P", "held@"+host, "-J", user+"-letter", "-U", user, pdf); err != nil {
			t.Fatalf("lpr: %v\n%s", err, out)
		}
	}
	waitFor(t, time.Minute, "two held jobs", func() bool { return countState(d.jobs(), "held") == 2 })
	out, err := lpr.Run(t, "lpq", "-P", "held@"+host)
	if err != nil || !strings.Contains(out, "bob-letter") || !strings.Contains(out, "carol-letter") || strings.Contains(out, "march run") {
		t.Fatalf("lpq: %v\n%s", err, out)
	}
	var bobs int64
	for _, j := range d.jobs() {
		if j.Name == "bob-letter" {
			bobs = j.ID
		}
	}
	if out, err := lpr.Run(t, "lprm", "-P", "held@"+host, "-U", "bob", strconv.FormatInt(bobs, 10)); err != nil {
		t.Fatalf("lprm: %v\n%s", err, out)
	}
	waitFor(t, time.Minute, "bob's job canceled", func() bool {
		for _, j := range d.jobs() {
			if j.ID == bobs {
				return j.State == "canceled"
			}
		}
		return false
	})
	if countState(d.jobs(), "held") != 1 {
		t.Errorf("lprm removed more than bob's job: %+v", d.jobs())
	}
}

func countState(jobs []api.Job, state string) int {
	n := 0
	for _, j := range jobs {
		if j.State == state {
			n++
		}
	}
	return n
}

// cupsLPD runs CUPS's lpd backend directly with uri, sending file as user
// (from its standard input when stdin is set, as cupsd runs it).
func cupsLPD(t *testing.T, uri, user, title, file string, stdin bool) {
	t.Helper()
	backend := "/usr/lib/cups/backend/lpd"
	if _, err := os.Stat(backend); err != nil {
		t.Fatalf("CUPS's lpd backend is missing (%v): install the Debian package cups", err)
	}
	args := []string{"1", user, title, "1", ""}
	if !stdin {
		args = append(args, file)
	}
	cmd := exec.Command(backend, args...)
	cmd.Env = append(os.Environ(), "DEVICE_URI="+uri)
	if stdin {
		// cupsd's back-channel and side-channel descriptors (3, 4): without
		// them the backend waits for them forever.
		null, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		defer null.Close()
		in, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		cmd.Stdin, cmd.ExtraFiles = in, []*os.File{null, null}
	}
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute): // the backend ignores SIGTERM
		cmd.Process.Kill()
		<-done
		t.Fatalf("CUPS's lpd backend did not finish within a minute:\n%s", out)
	}
	if err != nil {
		t.Fatalf("CUPS's lpd backend: %v\n%s", err, out)
	}
}

// TestLPDDataFirstFromCUPS: CUPS's lpd backend sending the data file
// before the control file delivers a byte-identical job.
func TestLPDDataFirstFromCUPS(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, lpdConfig(port))
	data, err := os.ReadFile("../examples/statements.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(d.dir, "statements.pdf")
	os.WriteFile(pdf, data, 0o644)
	cupsLPD(t, fmt.Sprintf("lpd://127.0.0.1:%d/stmts?order=data,control&format=l", port), "dave", "statements", pdf, false)
	jobs := d.waitJobs(1, time.Minute)
	if j := jobs[0]; j.State != "completed" || j.User != "dave" || j.Name != "statements" {
		t.Fatalf("job %+v", j)
	}
	if got := d.spoolInput(jobs[0].ID); !bytes.Equal(got, data) {
		t.Errorf("the spooled file (%d bytes) differs from the one sent (%d bytes)", len(got), len(data))
	}
	if !strings.Contains(d.log(), `"peer":"127.0.0.1:`) {
		t.Errorf("the job's log line names no peer")
	}
}

// TestLPDDataFirstFromRlpr: rlpr --send-data-first (which talks to port
// 515 only, so omsd runs in a network namespace of its own) delivers a
// byte-identical job, data file before control file.
func TestLPDDataFirstFromRlpr(t *testing.T) {
	t.Parallel()
	rlpr, err := exec.LookPath("rlpr")
	if err != nil {
		t.Fatal("rlpr is missing: install the Debian package rlpr")
	}
	netns := []string{"unshare", "--net", "sh", "-c", `ip link set lo up && exec "$@"`, "sh"}
	d := startDaemonUnder(t, strings.Replace(lpdConfig(5515), "127.0.0.1:5515", "127.0.0.1:515", 1), netns)
	data, err := os.ReadFile("../examples/letters.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(d.dir, "letters.pdf")
	os.WriteFile(pdf, data, 0o644)
	cmd := exec.Command("nsenter", "--target", strconv.Itoa(d.cmd.Process.Pid), "--net",
		rlpr, "-N", "-H", "127.0.0.1", "-P", "stmts", "-U", "erin", "-J", "rlpr job", "--send-data-first", pdf)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rlpr: %v\n%s", err, out)
	}
	jobs := d.waitJobs(1, time.Minute)
	if j := jobs[0]; j.State != "completed" || j.User != "erin" || j.Name != "rlpr job" {
		t.Fatalf("job %+v", j)
	}
	if got := d.spoolInput(jobs[0].ID); !bytes.Equal(got, data) {
		t.Errorf("the spooled file (%d bytes) differs from the one sent (%d bytes)", len(got), len(data))
	}
}

// TestLPDStreamFromCUPS: CUPS's lpd backend in stream mode, reading the
// document from its standard input as under cupsd, announces no real
// length (999999999999) and closes when done; the job arrives
// byte-identical.
func TestLPDStreamFromCUPS(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, lpdConfig(port))
	data, err := os.ReadFile("../examples/letters.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(d.dir, "letters.pdf")
	os.WriteFile(pdf, data, 0o644)
	cupsLPD(t, fmt.Sprintf("lpd://127.0.0.1:%d/stmts?mode=stream&format=l", port), "fay", "streamed", pdf, true)
	jobs := d.waitJobs(1, time.Minute)
	if j := jobs[0]; j.State != "completed" || j.User != "fay" {
		t.Fatalf("job %+v", j)
	}
	if got := d.spoolInput(jobs[0].ID); !bytes.Equal(got, data) {
		t.Errorf("the spooled file (%d bytes) differs from the one sent (%d bytes)", len(got), len(data))
	}
	if d.job(jobs[0].ID).Metadata["lpd_size"] != "" {
		t.Errorf("a streamed document has a size in its metadata; it was sent without one")
	}
}

// TestLPDAllowList: a sender outside receivers.lpd.allow is refused
// before it can send anything; the refusal is logged with the peer and
// the reason and counted in the status.
func TestLPDAllowList(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	cfg := strings.Replace(lpdConfig(port), "    idle_timeout: 5s\n", "    idle_timeout: 5s\n    allow: [10.0.0.0/8]\n", 1)
	d := startDaemon(t, cfg)
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	c.Write([]byte("\x02stmts\n"))
	if b, _ := io.ReadAll(c); len(b) != 0 { // closed, or reset for the unread command
		t.Fatalf("a sender outside the allow-list got the answer %q; want the connection closed", b)
	}
	waitFor(t, time.Minute, "the refusal counted", func() bool {
		var st api.Status
		json.Unmarshal([]byte(d.ctl("status", "--json")), &st)
		return len(st.Listeners) == 1 && st.Listeners[0].Refused["not-allowed"] == 1
	})
	if log := d.log(); !strings.Contains(log, `"peer":"127.0.0.1:`) || !strings.Contains(log, `"reason":"not-allowed"`) {
		t.Errorf("the refusal is not logged with peer and reason:\n%s", log)
	}
	if out := d.ctl("status"); !strings.Contains(out, "refused 1 not-allowed") {
		t.Errorf("omsctl status does not show the refusal:\n%s", out)
	}
	if len(d.jobs()) != 0 {
		t.Error("a refused sender made a job")
	}
}
