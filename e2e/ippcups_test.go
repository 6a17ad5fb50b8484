package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/testpeer"
)

// TestIPPIntakeFromCUPS: a CUPS raw queue pointing at omsd's IPP printer
// delivers lp's PDF byte for byte, and CUPS follows omsd's job: completed
// when omsd completed it, and ended when omsd aborted it. CUPS's ipp
// backend (backend/ipp.c) turns a job its printer aborted into
// CUPS_BACKEND_CANCEL: CUPS shows it canceled, "Print job canceled at
// printer.", whatever the printer-error-policy.
func TestIPPIntakeFromCUPS(t *testing.T) {
	port := testpeer.FreePort(t)
	d := startDaemon(t, ippIntakeConfig(port, ""))
	c := startCupsd(t)
	c.run("lpadmin", "-p", "omsd", "-E", "-v", fmt.Sprintf("ipp://127.0.0.1:%d/ipp/print/default", port),
		"-o", "printer-error-policy=abort-job")

	pdf := filepath.Join(t.TempDir(), "statement.pdf")
	writeFile(t, pdf, testpeer.PDF(3))
	good := cupsSubmit(t, c, pdf)
	waitFor(t, 2*time.Minute, "CUPS to see job "+good+" completed", func() bool {
		state, _ := c.jobState(good)
		return state == "completed"
	})
	if out := c.run("lpstat", "-W", "completed", "-o", "omsd"); !strings.Contains(out, "omsd-"+good+" ") {
		t.Errorf("lpstat -W completed does not list omsd-%s:\n%s", good, out)
	}
	j := ippJobNamed(t, d, "statement.pdf")
	if j.State != "completed" || j.Source != "ipp" || !strings.Contains(j.Origin, "queue default") {
		t.Errorf("omsd job: state %s source %s origin %q", j.State, j.Source, j.Origin)
	}
	got, err := os.ReadFile(d.path("spool", "jobs", fmt.Sprint(j.ID), "input.pdf"))
	want, _ := os.ReadFile(pdf)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("omsd's copy of the PDF differs from what lp sent (%d vs %d bytes, %v)", len(got), len(want), err)
	}

	// A document omsd cannot analyse: omsd aborts it, CUPS ends it as
	// canceled at the device.
	bad := filepath.Join(t.TempDir(), "broken.pdf")
	writeFile(t, bad, []byte("%PDF-1.7\nthis is not a PDF body\n%%EOF\n"))
	broken := cupsSubmit(t, c, bad)
	var state, message string
	waitFor(t, 2*time.Minute, "CUPS to end job "+broken, func() bool {
		state, message = c.jobState(broken)
		return state == "canceled" || state == "aborted" || state == "completed"
	})
	if state != "aborted" && (state != "canceled" || !strings.Contains(message, "canceled at printer")) {
		t.Errorf("CUPS job %s of the document omsd aborted: %s (%s)", broken, state, message)
	}
	if j := ippJobNamed(t, d, "broken.pdf"); j.State != "aborted" {
		t.Errorf("omsd job of broken.pdf is %s, want aborted", j.State)
	}
	t.Logf("CUPS job %s completed with omsd's; job %s omsd aborted ended in CUPS as %s (%s)", good, broken, state, message)
}

// cupsSubmit prints file on the omsd queue with lp and returns the CUPS
// job id.
func cupsSubmit(t *testing.T, c *cupsd, file string) string {
	t.Helper()
	out := c.run("lp", "-d", "omsd", file)
	// "request id is omsd-1 (1 file(s))"
	i := strings.Index(out, "omsd-")
	if i < 0 {
		t.Fatalf("lp printed no request id: %s", out)
	}
	id, _, _ := strings.Cut(out[i+len("omsd-"):], " ")
	return id
}

// ippJobNamed is the omsd job received over IPP with that name.
func ippJobNamed(t *testing.T, d *daemon, name string) api.Job {
	t.Helper()
	for _, j := range d.jobs() {
		if j.Source == "ipp" && j.Name == name {
			return j
		}
	}
	t.Fatalf("omsd has no IPP job named %s", name)
	return api.Job{}
}
