package e2e

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/internal/pdftest"
)

// The fault tests of intake: the hot folder on a tmpfs mounted by the test,
// the spool on disk, so that intake copies across filesystems; and the hot
// folder beside the spool, so that it renames. omsd is crashed at each step
// of the move (failpoints and strace fault injection) and killed with -9 at
// random moments while files keep arriving. Each file must print exactly
// once.

// intakeConfig is a file printer and one hot folder at hot.
func intakeConfig(hot string) string {
	return fmt.Sprintf(`version: 1
log: {format: json, level: debug}
printers:
  - name: out
    driver: file
    file: {dir: out}
workflows:
  - name: letters
    printer: out
hot_folders:
  - dir: %s
    workflow: letters
    scan_interval: 200ms
`, hot)
}

var failpointBin struct {
	once sync.Once
	path string
	err  error
}

// failpointOmsd returns omsd built with -tags failpoints.
func failpointOmsd(t *testing.T) string {
	t.Helper()
	buildFailpointOmsd()
	if failpointBin.err != nil {
		t.Fatal(failpointBin.err)
	}
	return failpointBin.path
}

// buildFailpointOmsd builds omsd with -tags failpoints, once per test run:
// TestMain starts it beside the other builds when every test runs, else
// the first test that needs it.
func buildFailpointOmsd() {
	failpointBin.once.Do(func() {
		failpointBin.path = filepath.Join(filepath.Dir(bin.omsd), "omsd-failpoints")
		cmd := exec.Command("go", "build", "-race", "-tags", "failpoints", "-o", failpointBin.path, "../cmd/omsd")
		out, err := cmd.CombinedOutput()
		if err != nil {
			failpointBin.err = fmt.Errorf("building omsd with failpoints: %v\n%s", err, out)
		}
	})
}

// crashRun runs the command (an omsd that is to crash) in d's directory and
// waits until it dies of SIGKILL.
func (d *daemon) crashRun(timeout time.Duration, env []string, name string, args ...string) {
	t := d.t
	t.Helper()
	d.runs++
	d.logPath = filepath.Join(d.dir, fmt.Sprintf("omsd-%d.log", d.runs))
	logf, err := os.Create(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = d.dir, logf, logf
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-done
		t.Fatalf("omsd did not crash at the injected point within %v; log:\n%s", timeout, d.log())
	}
	var ee *exec.ExitError
	killed := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
	if !killed && !strings.Contains(d.log(), "+++ killed by SIGKILL") {
		t.Fatalf("omsd ended with %v, not killed at the injected point; log:\n%s", err, d.log())
	}
}

// dropFiles puts name (and, when sidecar is set, its JSON sidecar) into the
// hot folder, then its done-file.
func dropFiles(t *testing.T, hot, name string, data, sidecar []byte) {
	t.Helper()
	if sidecar != nil {
		drop(t, hot, strings.TrimSuffix(name, ".pdf")+".json", sidecar)
	}
	drop(t, hot, name, data)
	if err := os.WriteFile(filepath.Join(hot, name+".done"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// outputName matches the file printer's "<job>-<name>".
var outputName = regexp.MustCompile(`^([0-9]+)-(.+)$`)

// intakeCounts counts, per dropped name, the jobs omsd made and the outputs
// in out/, and fails the test on any loss, double or phantom job.
func intakeCounts(t *testing.T, d *daemon, hot string, names []string, jobs []api.Job, what string) {
	t.Helper()
	jobsBy, printed := map[string]int{}, map[string]int{}
	aborted := 0
	for _, j := range jobs {
		if j.State == "aborted" || j.State == "canceled" {
			aborted++
			t.Errorf("job %d (%s) %s: %s", j.ID, j.Name, j.State, j.Message)
			continue
		}
		jobsBy[j.Name]++
	}
	ents, err := os.ReadDir(d.path("out"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		m := outputName.FindStringSubmatch(e.Name())
		if m == nil {
			t.Errorf("out/ holds %s", e.Name())
			continue
		}
		printed[m[2]]++
	}
	lost, doubled, doubleJobs := 0, 0, 0
	for _, n := range names {
		switch {
		case printed[n] == 0:
			lost++
			t.Errorf("%s was not printed (%d jobs)", n, jobsBy[n])
		case printed[n] > 1:
			doubled++
			t.Errorf("%s was printed %d times", n, printed[n])
		}
		if jobsBy[n] > 1 {
			doubleJobs++
			t.Errorf("%s made %d jobs", n, jobsBy[n])
		}
	}
	left, _ := os.ReadDir(hot)
	for _, e := range left {
		t.Errorf("hot folder still holds %s", e.Name())
	}
	t.Logf("fault counts: %s: files dropped %d, jobs %d, outputs %d, lost %d, doubled %d, taken twice %d, aborted %d, left in hot folder %d",
		what, len(names), len(jobs), len(ents), lost, doubled, doubleJobs, aborted, len(left))
}

// waitDone waits until every one of n files has a finished job and nothing
// is left in the hot folder.
func waitDone(t *testing.T, d *daemon, hot string, n int, timeout time.Duration) []api.Job {
	t.Helper()
	var jobs []api.Job
	waitFor(t, timeout, fmt.Sprintf("jobs of %d files to finish", n), func() bool {
		ents, _ := os.ReadDir(hot)
		jobs = d.jobs()
		if len(ents) > 0 || len(jobs) < n {
			return false
		}
		for _, j := range jobs {
			if j.State != "completed" && j.State != "aborted" && j.State != "canceled" {
				return false
			}
		}
		return true
	})
	return jobs
}

// TestFaultIntakeKillSteps crashes omsd at each step of the move of a file
// (and its sidecar) from a hot folder on another filesystem (tmpfs) and on
// the spool's, restarts it, and checks that the file prints exactly once.
func TestFaultIntakeKillSteps(t *testing.T) {
	t.Parallel()
	omsd := failpointOmsd(t)
	pdf := pdfBytes(t, pdftest.Options{Pieces: []int{1, 2}})
	sidecar := []byte(`{"pieces": [{"first_page": 1, "pages": 1}, {"first_page": 2, "pages": 2}]}`)
	tests := []struct {
		tmpfs bool
		point string
	}{
		{true, "intake-recorded"},
		{true, "intake-copying"},   // half the print file in a temp file
		{true, "intake-copied"},    // the print file copied, hash not journaled
		{true, "intake-copying@2"}, // half the sidecar copied
		{true, "intake-copied@2"},  // both copied, hashes not journaled
		{true, "intake-journaled"}, // hashes journaled, sources still there
		{true, "intake-source-removed"},
		{true, "intake-source-removed@2"},
		{true, "intake-done-removed"},
		{false, "intake-recorded"},
		{false, "intake-renamed"},
		{false, "intake-renamed@2"},
		{false, "intake-done-removed"},
	}
	for _, tt := range tests {
		fs := "disk"
		if tt.tmpfs {
			fs = "tmpfs"
		}
		t.Run(fs+"/"+tt.point, func(t *testing.T) {
			t.Parallel()
			hot := "hot/letters"
			if tt.tmpfs {
				hot = mountTmpfs(t, "64m")
			}
			d := startDaemon(t, intakeConfig(hot))
			if !tt.tmpfs {
				hot = d.path(hot)
			}
			d.stop()
			dropFiles(t, hot, "letters.pdf", pdf, sidecar)
			d.crashRun(60*time.Second, []string{failpoint.EnvVar + "=" + tt.point}, omsd, d.args...)
			d.start()
			jobs := waitDone(t, d, hot, 1, 60*time.Second)
			intakeCounts(t, d, hot, []string{"letters.pdf"}, jobs, tt.point)
			if len(jobs) == 1 && jobs[0].Pieces != 2 {
				t.Errorf("job has %d pieces; want the sidecar's 2", jobs[0].Pieces)
			}
		})
	}
}

// TestFaultIntakeKillStrace is the crash reported against intake: omsd
// killed by the kernel (strace fault injection) as it removes the source
// after copying it from a tmpfs hot folder into the spool on disk. Before the
// journaled move the restart took the file a second time.
func TestFaultIntakeKillStrace(t *testing.T) {
	t.Parallel()
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Fatal("strace is missing: install the Debian package strace")
	}
	hot := mountTmpfs(t, "64m")
	d := startDaemon(t, intakeConfig(hot))
	d.stop()
	dropFiles(t, hot, "letters.pdf", pdfBytes(t, pdftest.Options{Pieces: []int{1}}), nil)
	src := filepath.Join(hot, "letters.pdf")
	args := append([]string{"-f", "-qq", "-P", src, "-e", "trace=unlinkat", "-e", "inject=unlinkat:signal=KILL:when=1", bin.omsd}, d.args...)
	d.crashRun(60*time.Second, nil, strace, args...)
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("the crash did not come before the source was removed: %v\n%s", err, d.log())
	}
	d.start()
	// The hot folder empties only once the source is removed, which a
	// second take does after it made its job: counting then sees it.
	jobs := waitDone(t, d, hot, 1, 60*time.Second)
	intakeCounts(t, d, hot, []string{"letters.pdf"}, jobs, "unlinkat of the source killed")
}

// TestFaultIntakeKillLoop kills omsd with -9 at random moments, 30 times,
// while files keep arriving in a tmpfs hot folder (up to maxFiles, in bursts
// of 1–6 every 0.2–1 s, half of them with a done-file), then counts files
// dropped, jobs made and outputs printed.
func TestFaultIntakeKillLoop(t *testing.T) {
	t.Parallel()
	const kills, maxFiles = 30, 200
	hot := mountTmpfs(t, "64m")
	d := startDaemon(t, intakeConfig(hot))
	seed := time.Now().UnixNano()
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	pdf := pdfBytes(t, pdftest.Options{Pieces: []int{1, 1}})

	stop := make(chan struct{})
	var names []string
	var dropping sync.WaitGroup
	dropping.Add(1)
	go func() {
		defer dropping.Done()
		for i := 0; i < maxFiles; {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(200+rand.IntN(800)) * time.Millisecond):
			}
			for burst := 1 + rand.IntN(6); burst > 0 && i < maxFiles; burst-- {
				name := fmt.Sprintf("f%04d.pdf", i)
				if err := dropQuiet(hot, name, pdf, i%2 == 0); err != nil {
					t.Error(err)
					return
				}
				names = append(names, name)
				i++
			}
		}
	}()
	for range kills {
		time.Sleep(time.Duration(rng.IntN(600)) * time.Millisecond) // a random moment, not a wait for an event
		d.kill()
		d.start()
	}
	close(stop)
	dropping.Wait()
	jobs := waitDone(t, d, hot, len(names), 2*time.Minute+time.Duration(len(names))*time.Second)
	resumed := 0
	for i := 1; i <= d.runs; i++ {
		b, _ := os.ReadFile(filepath.Join(d.dir, fmt.Sprintf("omsd-%d.log", i)))
		resumed += strings.Count(string(b), "intake cut off by a restart finished from its journal")
	}
	intakeCounts(t, d, hot, names, jobs, fmt.Sprintf("%d kills, %d intakes cut off and finished from the journal", kills, resumed))
}

// dropQuiet is drop for a goroutine: written under a temporary name, renamed
// in, and a done-file after it when done is set.
func dropQuiet(dir, name string, data []byte, done bool) error {
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	if done {
		return os.WriteFile(filepath.Join(dir, name+".done"), nil, 0o644)
	}
	return nil
}
