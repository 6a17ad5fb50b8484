package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
)

// gateScript is a raw print port's connection handler that reads nothing
// until the file release exists, then stores what it receives as one job
// file (a connection that sent nothing, a status check, leaves none).
const gateScript = `#!/bin/sh
while [ ! -e "%[1]s/release" ]; do sleep 0.05; done
tmp="%[1]s/.job-$$.tmp"
cat > "$tmp" || exit 1
if [ -s "$tmp" ]; then mv "$tmp" "%[1]s/job-$$.prn"; else rm -f "$tmp"; fi
`

// gatedPrinter starts socat as a printer that holds every document until
// the test releases it; it returns its port and directory.
func gatedPrinter(t *testing.T) (int, string) {
	t.Helper()
	socat, err := exec.LookPath("socat")
	if err != nil {
		t.Fatal("socat is missing: install Debian package socat")
	}
	dir, err := os.MkdirTemp("", "omsd-gate-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	script := filepath.Join(dir, "gate.sh")
	if err := os.WriteFile(script, fmt.Appendf(nil, gateScript, dir), 0o755); err != nil {
		t.Fatal(err)
	}
	port := testpeer.FreePort(t)
	cmd := exec.Command(socat, "-u", fmt.Sprintf("TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork,rcvbuf=4096", port), "EXEC:"+script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	return port, dir
}

// reloadYAML is the configuration of TestReloadWhilePrinting.
func reloadYAML(port int, printers, workflows, hotFolders string) string {
	return fmt.Sprintf(`version: 1
printers:
  - name: slow
    driver: socket
    socket: {host: 127.0.0.1, port: %d, wait_close: 60s}
%sworkflows:
  - name: big
    printer: slow
    pieces: {method: whole}
%shot_folders:
  - dir: hot/big
    workflow: big
%s`, port, printers, workflows, hotFolders)
}

// TestReloadWhilePrinting reloads the real omsd while a job is being sent
// to a real raw print port (socat) that holds it: omsctl reload of a file
// with problems is refused with every problem and changes nothing; SIGHUP
// with a good file adds a printer, a workflow and a hot folder, moves a
// hot folder and removes a printer with queued work. The send under way
// finishes, once, before the new configuration takes over; the removed
// printer's job is held with the reason; the new hot folder prints on the
// new printer.
func TestReloadWhilePrinting(t *testing.T) {
	t.Parallel()
	port, gate := gatedPrinter(t)
	d := startDaemon(t, reloadYAML(port,
		"  - name: doomed\n    driver: file\n    file: {dir: out-doomed}\n",
		"  - name: doomedwf\n    printer: doomed\n    pieces: {method: whole}\n", ""))
	cfgPath := d.args[1]
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(cfgPath, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d.ctl("printer", "pause", "doomed")
	queued := submitJob(t, d, "../examples/statements.pdf", "doomedwf")
	// A large job: far more than the port's buffers hold, so its send
	// stays under way until the printer is released.
	o := pdftest.Options{}
	for range 400 {
		o.Pieces = append(o.Pieces, 5)
	}
	bigPath := filepath.Join(t.TempDir(), "big.pdf")
	if err := os.WriteFile(bigPath, pdfBytes(t, o), 0o644); err != nil {
		t.Fatal(err)
	}
	big := submitJob(t, d, bigPath, "big")
	waitFor(t, time.Minute, "the large job printing and the other queued", func() bool {
		return d.job(big).Job.State == "processing" && d.job(queued).Job.State == "pending" && d.job(queued).Job.Pieces > 0
	})

	write(reloadYAML(port, "", "  - name: orphan\n    printer: nowhere\n", "log: {level: loud}\n"))
	out, err := d.ctlErr("reload")
	if err == nil || !strings.Contains(out, `"nowhere"`) || !strings.Contains(out, "log.level") {
		t.Errorf("omsctl reload of a bad file: %v\n%s\nwant a failure naming both problems", err, out)
	}
	if st := status(t, d); !slices.Contains(st.Printers, "doomed") {
		t.Errorf("printers after a refused reload: %v", st.Printers)
	}

	good := reloadYAML(port,
		"  - name: fresh\n    driver: file\n    file: {dir: out-fresh}\n",
		"  - name: freshwf\n    printer: fresh\n    pieces: {method: whole}\n",
		"  - dir: hot/fresh\n    workflow: freshwf\n")
	write(strings.Replace(good, "dir: hot/big\n", "dir: hot/big2\n", 1))
	d.cmd.Process.Signal(syscall.SIGHUP)
	defer func() {
		if t.Failed() {
			t.Logf("log %s:\n%s", d.logPath, d.log())
		}
	}()
	waitFor(t, time.Minute, "the reload to wait for the send under way", func() bool {
		return strings.Contains(d.log(), "reload waits for the sends under way to finish")
	})
	if err := os.WriteFile(filepath.Join(gate, "release"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Minute, "the reload applied", func() bool {
		st := status(t, d)
		return slices.Contains(st.Printers, "fresh") && !slices.Contains(st.Printers, "doomed")
	})
	if j := d.job(big).Job; j.State != "completed" || j.Attempts != 1 {
		t.Errorf("the large job: %s, %d attempts; want completed in one", j.State, j.Attempts)
	}
	docs, _ := filepath.Glob(filepath.Join(gate, "job-*.prn"))
	if len(docs) != 1 {
		t.Errorf("the printer received %d documents, want the large job's once", len(docs))
	}
	waitFor(t, time.Minute, "the removed printer's job held", func() bool {
		j := d.job(queued).Job
		return j.State == "held" && strings.Contains(j.Message, `printer "doomed" is no longer in the configuration`)
	})
	pdf, err := os.ReadFile("../examples/letters.pdf")
	if err != nil {
		t.Fatal(err)
	}
	drop(t, d.path("hot", "fresh"), "letters.pdf", pdf)
	waitFor(t, time.Minute, "the new hot folder's job on the new printer", func() bool {
		outs, _ := filepath.Glob(d.path("out-fresh", "*"))
		return len(outs) == 1
	})
	if !fileExists(d.path("hot", "big2")) {
		t.Error("the moved hot folder hot/big2 is not watched")
	}
	if out := d.ctl("reload"); !strings.Contains(out, "being applied") {
		t.Errorf("omsctl reload of the good file: %q", out)
	}
	held := 0
	for _, j := range d.jobs() {
		if j.State == "held" {
			held++
		}
	}
	t.Logf("reload counts: documents printed %d (read from socat), large job attempts %d, jobs held %d",
		len(docs), d.job(big).Job.Attempts, held)
}

func submitJob(t *testing.T, d *daemon, path, workflow string) int64 {
	t.Helper()
	var j api.Job
	if err := json.Unmarshal([]byte(d.ctl("submit", path, "--workflow", workflow, "--json")), &j); err != nil {
		t.Fatal(err)
	}
	return j.ID
}

func status(t *testing.T, d *daemon) api.Status {
	t.Helper()
	var st api.Status
	if err := json.Unmarshal([]byte(d.ctl("status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	return st
}
