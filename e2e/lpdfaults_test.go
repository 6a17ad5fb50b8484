package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/internal/testpeer"
)

// startCrashing starts an omsd built with failpoints that kills itself at
// point, and returns a function that waits until it did.
func (d *daemon) startCrashing(t *testing.T, point string) (wait func()) {
	t.Helper()
	d.runs++
	d.logPath = filepath.Join(d.dir, fmt.Sprintf("omsd-%d.log", d.runs))
	logf, err := os.Create(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(failpointOmsd(t), d.args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = d.dir, logf, logf
	cmd.Env = append(os.Environ(), failpoint.EnvVar+"="+point)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logf.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	return func() {
		t.Helper()
		select {
		case err = <-done:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			t.Fatalf("omsd did not crash at %s; log:\n%s", point, d.log())
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
			t.Fatalf("omsd ended with %v, not killed at %s; log:\n%s", err, point, d.log())
		}
	}
}

// waitListening waits until addr takes connections.
func waitListening(t *testing.T, addr string) {
	t.Helper()
	waitFor(t, time.Minute, "omsd's LPD receiver on "+addr, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// lpdFaultSetup is a stopped omsd with an LPD receiver, the address it
// listens on (LPRng's and TCP's spelling) and a print file to send.
func lpdFaultSetup(t *testing.T) (d *daemon, port int, pdf string, data []byte) {
	port = testpeer.FreePort(t)
	d = startDaemon(t, lpdConfig(port))
	d.stop()
	data, err := os.ReadFile("../examples/letters.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf = filepath.Join(d.dir, "letters.pdf")
	os.WriteFile(pdf, data, 0o644)
	return d, port, pdf, data
}

// lpdFaultCounts checks that the one job sent is there once, whole (and
// printed, when printable).
func lpdFaultCounts(t *testing.T, d *daemon, what string, data []byte, printable bool) {
	t.Helper()
	jobs := d.waitJobs(1, time.Minute)
	received, doubled, lost := 0, 0, 0
	for _, j := range jobs {
		if (j.State == "completed" || !printable) && bytes.Equal(d.spoolInput(j.ID), data) {
			received++
		}
	}
	if received > 1 {
		doubled = received - 1
	}
	if received == 0 {
		lost = 1
	}
	t.Logf("fault counts: %s: sent 1, received %d, lost %d, doubled %d, jobs %d", what, received, lost, doubled, len(jobs))
	if lost+doubled > 0 || len(jobs) != 1 {
		t.Errorf("%s: jobs %+v", what, jobs)
	}
}

// TestFaultLPDKillAfterAck: omsd killed right after it acknowledged a
// job: the sender is done, and the job is there after the restart, once.
func TestFaultLPDKillAfterAck(t *testing.T) {
	t.Parallel()
	lpr := testpeer.LPRng(t)
	d, port, pdf, data := lpdFaultSetup(t)
	wait := d.startCrashing(t, "lpd-acked")
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", port))
	if out, err := lpr.Run(t, "lpr", "-P", fmt.Sprintf("stmts@127.0.0.1%%%d", port), pdf); err != nil {
		t.Fatalf("lpr: %v\n%s", err, out)
	}
	wait()
	d.start()
	lpdFaultCounts(t, d, "killed after the ack", data, true)
}

// TestFaultLPDKillWhileReceiving: omsd killed while a data file arrives:
// nothing was acknowledged, the sender (LPRng's lpr) sends the job again
// to the restarted omsd, and there is one job in the end.
func TestFaultLPDKillWhileReceiving(t *testing.T) {
	t.Parallel()
	lpdKillAndResend(t, "lpd-receiving", "killed while receiving")
}

// TestFaultLPDKillBeforeAck: omsd killed after the job was durable but
// before its acknowledgement left: LPRng's lpr sends the job again to the
// restarted omsd, which recognises it, and there is one job in the end.
func TestFaultLPDKillBeforeAck(t *testing.T) {
	t.Parallel()
	d := lpdKillAndResend(t, "lpd-before-ack", "killed between storing and acknowledging")
	if !strings.Contains(d.log(), "the job was sent again") {
		t.Errorf("the resent job was not recognised as such; log:\n%s", d.log())
	}
}

// lpdKillAndResend has LPRng's lpr send a job to an omsd that is killed at
// failpoint before its acknowledgement, starts omsd again, waits for lpr
// to deliver to it, and checks there is one job in the end.
func lpdKillAndResend(t *testing.T, failpoint, what string) *daemon {
	t.Helper()
	lpr := testpeer.LPRng(t)
	d, port, pdf, data := lpdFaultSetup(t)
	wait := d.startCrashing(t, failpoint)
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", port))
	var out bytes.Buffer
	cmd := lpr.Command(t.Context(), t, "lpr", "-P", fmt.Sprintf("stmts@127.0.0.1%%%d", port), pdf)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wait()
	d.start()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("lpr did not deliver after the restart: %v\n%s", err, out.String())
	}
	lpdFaultCounts(t, d, what, data, true)
	return d
}

// TestFaultLPDSenderKilled: LPRng's lpr killed in the middle of a data
// file (sent through a slow relay so that it is caught there) leaves no
// job and no partial file; the job sent again is taken once.
func TestFaultLPDSenderKilled(t *testing.T) {
	t.Parallel()
	lpr := testpeer.LPRng(t)
	d, port, _, _ := lpdFaultSetup(t)
	d.start()
	big := filepath.Join(d.dir, "big.pdf")
	data := bytes.Repeat([]byte("%PDF-1.7 filler\n"), 1<<20) // 16 MiB, not a PDF omsd can print
	os.WriteFile(big, data, 0o644)
	relay := slowRelay(t, fmt.Sprintf("127.0.0.1:%d", port))
	var out bytes.Buffer
	cmd := lpr.Command(t.Context(), t, "lpr", "-P", "stmts@"+relay, big)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	uploads := d.path("spool", "uploads")
	waitFor(t, time.Minute, "part of the data file in omsd's uploads", func() bool {
		return dirBytes(uploads) > 256<<10
	})
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	waitFor(t, time.Minute, "the cut-off upload removed and the connection closed", func() bool {
		var st api.Status
		if err := json.Unmarshal([]byte(d.ctl("status", "--json")), &st); err != nil {
			return false
		}
		return dirBytes(uploads) == 0 && st.Listeners[0].Open == 0
	})
	if jobs := d.jobs(); len(jobs) != 0 {
		t.Fatalf("a killed sender left jobs %+v", jobs)
	}
	if out, err := lpr.Run(t, "lpr", "-P", fmt.Sprintf("stmts@127.0.0.1%%%d", port), big); err != nil {
		t.Fatalf("lpr: %v\n%s", err, out)
	}
	lpdFaultCounts(t, d, "sender killed mid-transfer, then sent again", data, false)
}

// dirBytes is the size of the files in dir.
func dirBytes(dir string) int64 {
	es, _ := os.ReadDir(dir)
	var n int64
	for _, e := range es {
		if info, err := e.Info(); err == nil {
			n += info.Size()
		}
	}
	return n
}

// slowRelay forwards connections to target, the sender's bytes at about
// 2 MB/s, and closes each side when the other does. It returns its
// address in LPRng's spelling (HOST%PORT).
func slowRelay(t *testing.T, target string) string {
	return relayAt(t, target, 16<<10)
}

// relayAt is slowRelay forwarding the sender's bytes at about chunk bytes
// every 8 ms.
func relayAt(t *testing.T, target string, chunk int) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			wg.Go(func() {
				defer s.Close()
				buf := make([]byte, chunk)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						if _, werr := s.Write(buf[:n]); werr != nil {
							return
						}
						time.Sleep(8 * time.Millisecond) // the relay's rate, not a wait
					}
					if err != nil {
						return
					}
				}
			})
			wg.Go(func() {
				defer c.Close()
				io.Copy(c, s)
			})
		}
	})
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return "127.0.0.1%" + port
}
