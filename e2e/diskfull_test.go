package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
)

// mountTmpfs mounts a tmpfs of size (mount(8)'s size=, e.g. "2m") on a new
// directory and unmounts it when the test ends.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "omsd-tmpfs-")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0755", "tmpfs", dir).CombinedOutput()
	if err != nil {
		os.Remove(dir)
		t.Fatalf("mounting a %s tmpfs on %s: %v\n%s(the test needs root or CAP_SYS_ADMIN, and mount(8) from the Debian package mount)", size, dir, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v\n%s", dir, err, out)
			exec.Command("umount", "-l", dir).Run()
		}
		os.Remove(dir)
	})
	return dir
}

// growTmpfs resizes the tmpfs mounted on dir.
func growTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,size="+size, dir).CombinedOutput(); err != nil {
		t.Fatalf("growing the tmpfs on %s to %s: %v\n%s", dir, size, err, out)
	}
}

// status returns omsctl status --json.
func (d *daemon) status() api.Status {
	d.t.Helper()
	var st api.Status
	if err := json.Unmarshal([]byte(d.ctl("status", "--json")), &st); err != nil {
		d.t.Fatalf("omsctl status --json: %v", err)
	}
	return st
}

// diskFullConfig puts the spool and the file printer's directory on mnt.
// retry_delay, the backoff after a resource error, is longer than the
// test, so that only space returning resumes anything.
func diskFullConfig(mnt string) string {
	return fmt.Sprintf(`version: 1
log: {format: json, level: debug}
spool: {dir: %q, min_free: 128KiB, retry_delay: 1h}
printers:
  - name: file
    driver: file
    file: {dir: %q}
workflows:
  - name: letters
    printer: file
    pieces: {method: bookmarks}
hot_folders:
  - dir: hot/letters
    workflow: letters
    scan_interval: 200ms
`, filepath.Join(mnt, "spool"), filepath.Join(mnt, "out"))
}

// letters is a print file of n pieces of 1 to 3 pages, and its pages.
func letters(t *testing.T, n int) ([]byte, int) {
	t.Helper()
	o := pdftest.Options{Bookmarks: true, Logo: true}
	pages := 0
	for p := range n {
		o.Pieces = append(o.Pieces, 1+p%3)
		pages += 1 + p%3
	}
	return pdfBytes(t, o), pages
}

// TestFaultDiskFull runs omsd with its spool and the file printer's
// directory on a 3 MiB tmpfs. A first print file fits but its output does
// not: the job is held for resources, not aborted, and intake pauses. Six
// more files wait in the hot folder; intake's retries create no job. Once
// the tmpfs is grown, every job completes by itself with its output whole,
// each exactly once.
func TestFaultDiskFull(t *testing.T) {
	t.Parallel()
	pdftest.NeedTool(t, "pdfinfo", "poppler-utils")
	mnt := mountTmpfs(t, "3m")
	d := startDaemon(t, diskFullConfig(mnt))
	hot := d.path("hot", "letters")
	pages := map[string]int{}
	held := map[int64]string{}
	check := func(jobs []api.Job) {
		t.Helper()
		for _, j := range jobs {
			if j.State == "aborted" || j.State == "canceled" {
				t.Fatalf("job %d (%s) %s: %s\n%s", j.ID, j.Name, j.State, j.Message, d.log())
			}
			if j.State == "held" && slices.Contains(j.StateReasons, "resources-are-not-ready") {
				held[j.ID] = j.Message
			}
		}
		if len(jobs) > len(pages) {
			t.Fatalf("%d jobs for %d files: intake created jobs it should not have", len(jobs), len(pages))
		}
	}

	// 1. The first file's output does not fit: held, intake paused.
	big, n := letters(t, 1900)
	if len(big) < 1<<20+1<<19 {
		t.Fatalf("the big print file has only %d bytes; its output must not fit beside it", len(big))
	}
	pages["big.pdf"] = n
	drop(t, hot, "big.pdf", big)
	var st api.Status
	waitFor(t, 2*time.Minute, "the first job held for resources and intake paused", func() bool {
		check(d.jobs())
		st = d.status()
		return len(held) > 0 && st.Intake.Paused
	})
	for id, msg := range held {
		t.Logf("job %d held: %s", id, msg)
		if !strings.Contains(msg, "no space left on "+mnt) || !strings.Contains(msg, "resumes by itself") {
			t.Errorf("job %d held with %q; want what ran out, where, and what happens next", id, msg)
		}
	}
	if !strings.Contains(st.Intake.Reason, mnt) || len(st.Intake.Filesystems) == 0 {
		t.Errorf("intake status %+v; want the reason and the filesystems", st.Intake)
	}
	if text := d.ctl("status"); !strings.Contains(text, "intake       paused") || !strings.Contains(text, "disk         "+mnt) {
		t.Errorf("omsctl status does not show intake paused:\n%s", text)
	}

	// 2. More files wait; intake retries them and creates no job.
	const more = 6
	for i := range more {
		name := fmt.Sprintf("letters-%02d.pdf", i+1)
		data, n := letters(t, 300+20*i)
		pages[name] = n
		drop(t, hot, name, data)
	}
	retries := func() int { return strings.Count(d.log(), "file deferred; offered again later") }
	from := retries()
	waitFor(t, 2*time.Minute, "intake to retry the waiting files three times each", func() bool { return retries() >= from+3*more })
	before := d.jobs()
	check(before)
	if len(before) != 1 {
		t.Fatalf("%d jobs while intake was paused; want the first one only", len(before))
	}
	if out, err := d.ctlErr("submit", filepath.Join(hot, "letters-01.pdf")); err == nil || !strings.Contains(out, "intake paused") {
		t.Errorf("omsctl submit while intake is paused: %v\n%s", err, out)
	}

	// 3. Space returns: everything completes by itself.
	growTmpfs(t, mnt, "64m")
	var jobs []api.Job
	waitFor(t, 3*time.Minute, fmt.Sprintf("%d completed jobs after the tmpfs grew", len(pages)), func() bool {
		jobs = d.jobs()
		check(jobs)
		done := 0
		for _, j := range jobs {
			if j.State == "completed" {
				done++
			}
		}
		return done == len(pages)
	})
	if st := d.status(); st.Intake.Paused {
		t.Errorf("intake still paused after space returned: %+v", st.Intake)
	}
	checkOutputs(t, d, mnt, jobs, pages, len(held))
	for _, line := range strings.Split(d.log(), "\n") {
		if strings.Contains(line, "spool.db") && strings.Contains(line, "no space left") {
			t.Errorf("the spool's database ran out of space; spool.min_free should have kept room for it:\n%s", line)
		}
	}
}

// checkOutputs reads every job's output back from the file printer's
// directory: whole (the spool's bytes, the input's pages) and once.
func checkOutputs(t *testing.T, d *daemon, mnt string, jobs []api.Job, pages map[string]int, held int) {
	t.Helper()
	printed, lost, doubled, sent, resends := 0, 0, 0, 0, 0
	byName := map[string]int{}
	for _, j := range jobs {
		byName[j.Name]++
		for _, p := range d.job(j.ID).PiecesDetail {
			if p.Delivery != nil {
				sent++
				resends += max(0, p.Delivery.Sends-1)
			}
		}
		id := strconv.FormatInt(j.ID, 10)
		out := filepath.Join(mnt, "out", id+"-"+j.Name)
		got, err := os.ReadFile(out)
		if err != nil {
			t.Errorf("job %d: output: %v", j.ID, err)
			continue
		}
		want, err := os.ReadFile(filepath.Join(mnt, "spool", "jobs", id, "output.pdf"))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("job %d: output %s differs from the spool's (%d bytes, want %d; %v)", j.ID, out, len(got), len(want), err)
		}
		n := pdfPages(t, out)
		if n != pages[j.Name] {
			t.Errorf("job %d (%s): %d pages printed; want %d", j.ID, j.Name, n, pages[j.Name])
		}
		printed += n
	}
	wantPages := 0
	for name, n := range pages {
		wantPages += n
		switch c := byName[name]; {
		case c == 0:
			lost++
		case c > 1:
			doubled += c - 1
		}
	}
	outs, _ := filepath.Glob(filepath.Join(mnt, "out", "*"))
	doubled += max(0, len(outs)-len(jobs))
	left, _ := filepath.Glob(filepath.Join(d.path("hot", "letters"), "*"))
	errs, _ := filepath.Glob(filepath.Join(d.path("error"), "*"))
	t.Logf("fault counts: files %d, jobs %d, held for resources %d, pieces sent %d, pages printed %d of %d, lost %d, doubled %d, resends recorded %d",
		len(pages), len(jobs), held, sent, printed, wantPages, lost, doubled, resends)
	if lost > 0 || doubled > 0 || len(jobs) != len(pages) || printed != wantPages || len(left) > 0 || len(errs) > 0 {
		t.Fatalf("lost %d, doubled %d, %d jobs for %d files; left in the hot folder %v; error folder %v", lost, doubled, len(jobs), len(pages), left, errs)
	}
}

// TestFaultOutputDirFull fills the file printer's directory (a 256 KiB
// tmpfs; the spool is on the disk): the job is held for resources, not
// retried against a full disk nor aborted, and completes by itself once
// the tmpfs is grown.
func TestFaultOutputDirFull(t *testing.T) {
	t.Parallel()
	pdftest.NeedTool(t, "pdfinfo", "poppler-utils")
	mnt := mountTmpfs(t, "256k")
	d := startDaemon(t, fmt.Sprintf(`version: 1
log: {format: json, level: info}
spool: {min_free: 16KiB, retry_delay: 1h}
printers:
  - {name: file, driver: file, file: {dir: %q}}
workflows:
  - {name: letters, printer: file, pieces: {method: bookmarks}}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}
`, filepath.Join(mnt, "out")))
	data, n := letters(t, 400)
	drop(t, d.path("hot", "letters"), "letters.pdf", data)
	j := d.waitHeldForResources("the job held for resources")
	if !strings.Contains(j.Message, "writing output 1 to printer file: no space left on "+mnt) {
		t.Errorf("held with %q; want what ran out and where", j.Message)
	}
	growTmpfs(t, mnt, "16m")
	jobs := d.waitJobs(1, 2*time.Minute)
	if jobs[0].State != "completed" {
		t.Fatalf("after the tmpfs grew: %s: %s", jobs[0].State, jobs[0].Message)
	}
	out := filepath.Join(mnt, "out", strconv.FormatInt(j.ID, 10)+"-letters.pdf")
	got := pdfPages(t, out)
	sends := 0
	for _, p := range d.job(j.ID).PiecesDetail {
		if p.Delivery != nil {
			sends += p.Delivery.Sends
		}
	}
	t.Logf("fault counts: pieces %d, sends recorded %d (one failed for want of space), pages printed %d of %d, lost %d, doubled %d",
		jobs[0].Pieces, sends, got, n, max(0, n-got), max(0, got-n))
	if got != n {
		t.Fatalf("%d pages printed; want %d", got, n)
	}
}
