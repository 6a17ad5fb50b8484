package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDefaultConfig is the README's quickstart: omsd with no flags, a PDF
// dropped into omsd-data/hot/default, printed to omsd-data/out.
func TestDefaultConfig(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, "")
	o := twentyPieces(true)
	drop(t, d.path("hot", "default"), "invoices.pdf", pdfBytes(t, o))
	jobs := d.waitJobs(1, 30*time.Second)
	if jobs[0].State != "completed" || jobs[0].Pieces != 20 || jobs[0].Workflow != "default" {
		t.Fatalf("job = %+v", jobs[0])
	}
	outs, _ := filepath.Glob(d.path("out", "*"))
	if len(outs) != 1 {
		t.Fatalf("outputs = %v; want one", outs)
	}
	if fi, err := os.Stat(d.socket()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode: %v %v; want 0600", fi.Mode(), err)
	}
	table := d.ctl("jobs")
	if !strings.Contains(table, "invoices.pdf") || !strings.Contains(table, "completed") {
		t.Errorf("omsctl jobs:\n%s", table)
	}
}

// TestSubmitHoldRelease drives a job through omsctl submit, hold and release.
func TestSubmitHoldRelease(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, "")
	file := filepath.Join(d.dir, "letters.pdf")
	os.WriteFile(file, pdfBytes(t, twentyPieces(true)), 0o644)

	var j struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(d.ctl("submit", file, "--hold", "--json")), &j); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the held job to be analysed", func() bool { return d.job(j.ID).Pieces == 20 })
	if st := d.job(j.ID).State; st != "held" {
		t.Fatalf("state = %s; want held", st)
	}
	d.ctl("job", "release", jsonID(j.ID))
	jobs := d.waitJobs(1, 20*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("after release: %+v", jobs[0])
	}
	if out, err := d.ctlErr("job", "hold", jsonID(j.ID)); err == nil {
		t.Errorf("holding a completed job succeeded:\n%s", out)
	}
	if out, err := d.ctlErr("job", "show", "999"); err == nil || !strings.Contains(out, "999") {
		t.Errorf("job show 999: %v\n%s", err, out)
	}
}

func jsonID(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

// TestCtlWithoutDaemon checks that omsctl says how to start omsd.
func TestCtlWithoutDaemon(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(bin.omsctl, "--socket", filepath.Join(t.TempDir(), "none.sock"), "jobs").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not running") || !strings.Contains(string(out), "omsd") {
		t.Errorf("omsctl without a daemon: %v\n%s", err, out)
	}
}

// TestProcessOneShot runs the pipeline without the daemon.
func TestProcessOneShot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o := twentyPieces(true)
	in := filepath.Join(dir, "run.pdf")
	os.WriteFile(in, pdfBytes(t, o), 0o644)
	cmd := exec.Command(bin.omsd, "process", "--json", in)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("omsd process: %v\n%s", err, out)
	}
	var res struct {
		Pieces, Pages int
		Outcome       string
	}
	if err := json.Unmarshal(out, &res); err != nil || res.Pieces != 20 || res.Pages != o.PageCount() || res.Outcome != "ok" {
		t.Errorf("omsd process --json: %v\n%s", err, out)
	}
	if outs, _ := filepath.Glob(filepath.Join(dir, "omsd-data", "out", "*")); len(outs) != 1 {
		t.Errorf("outputs = %v", outs)
	}
	bad := filepath.Join(dir, "bad.pdf")
	os.WriteFile(bad, []byte("not a pdf"), 0o644)
	cmd = exec.Command(bin.omsd, "process", bad)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "PDF") {
		t.Errorf("omsd process on a bad file: %v\n%s", err, out)
	}
}
