package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
)

// bin holds the binaries built once for the whole test run.
var bin struct{ omsd, omsctl string }

func TestMain(m *testing.M) {
	// The race detector sleeps 1 s before a process exits; without it the
	// tests see how long omsd itself takes to stop, and each omsctl call
	// returns when its work is done. Set once here, before any test runs,
	// so that every omsd and omsctl the tests start inherits it.
	os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	dir, err := os.MkdirTemp("", "omsd-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin.omsd, bin.omsctl = filepath.Join(dir, "omsd"), filepath.Join(dir, "omsctl")
	flag.Parse()
	var prebuilt sync.WaitGroup
	if flag.Lookup("test.run").Value.String() == "" {
		prebuilt.Go(buildFailpointOmsd) // the fault tests need it; every test runs at once
	}
	// One go build for both, so that their packages compile and link side
	// by side.
	cmd := exec.Command("go", "build", "-race", "-o", dir+string(filepath.Separator), "../cmd/omsd", "../cmd/omsctl")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building omsd and omsctl:", err)
		os.Exit(1)
	}
	code := m.Run()
	prebuilt.Wait()
	os.RemoveAll(dir)
	os.Exit(code)
}

// daemon is one omsd process started by a test.
type daemon struct {
	t       *testing.T
	dir     string // working directory; the state directory is dir/omsd-data
	args    []string
	wrap    []string // a command omsd runs under (e.g. unshare), or none
	cmd     *exec.Cmd
	logPath string
	runs    int
}

// stateDir is where the daemon keeps its spool, hot folder and outputs.
func (d *daemon) stateDir() string { return filepath.Join(d.dir, "omsd-data") }

func (d *daemon) path(p ...string) string {
	return filepath.Join(append([]string{d.stateDir()}, p...)...)
}

func (d *daemon) socket() string { return d.path("omsd.sock") }

// startDaemon writes cfg (when not empty) and starts omsd in a fresh
// directory. The state directory is short enough for a unix socket path.
func startDaemon(t *testing.T, cfg string) *daemon {
	t.Helper()
	return startDaemonUnder(t, cfg, nil)
}

// startDaemonUnder is startDaemon with omsd run under the command wrap
// (which ends by running its arguments), e.g. in a namespace of its own.
func startDaemonUnder(t *testing.T, cfg string, wrap []string) *daemon {
	t.Helper()
	dir, err := os.MkdirTemp("", "omsd-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			os.RemoveAll(dir)
		} else {
			t.Logf("kept %s for inspection", dir)
		}
	})
	d := &daemon{t: t, dir: dir, wrap: wrap}
	if cfg != "" {
		cfgPath := filepath.Join(dir, "omsd.yaml")
		if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		d.args = []string{"--config", cfgPath}
	}
	d.start()
	t.Cleanup(d.stop)
	return d
}

// start runs omsd and waits until its API answers.
func (d *daemon) start() {
	t := d.t
	t.Helper()
	d.runs++
	d.logPath = filepath.Join(d.dir, fmt.Sprintf("omsd-%d.log", d.runs))
	logf, err := os.Create(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	argv := append(append(append([]string{}, d.wrap...), bin.omsd), d.args...)
	d.cmd = exec.Command(argv[0], argv[1:]...)
	d.cmd.Dir = d.dir
	d.cmd.Stdout, d.cmd.Stderr = logf, logf
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logf.Close()
	waitFor(t, time.Minute, "omsd to answer on its socket", func() bool {
		_, err := d.ctlErr("status", "--json")
		return err == nil
	})
}

// kill stops omsd with SIGKILL, as a crash or power loss would.
func (d *daemon) kill() {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGKILL)
	d.cmd.Wait()
	d.cmd = nil
}

// term stops omsd with SIGTERM, expects a clean exit and returns how long
// the exit took. An omsd still running after a minute is killed and the
// test fails.
func (d *daemon) term() time.Duration {
	d.t.Helper()
	start := time.Now()
	d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(start)
		if err != nil {
			d.t.Errorf("omsd exited with %v after SIGTERM; log:\n%s", err, d.log())
		}
		d.cmd = nil
		return took
	case <-time.After(time.Minute):
		d.cmd.Process.Kill()
		<-done
		d.cmd = nil
		d.t.Fatalf("omsd still ran a minute after SIGTERM; log:\n%s", d.log())
		return 0
	}
}

// stop stops omsd with SIGTERM and expects a clean exit.
func (d *daemon) stop() {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			d.t.Errorf("omsd exited with %v; log:\n%s", err, d.log())
		}
	case <-time.After(time.Minute): // as term: only a hung omsd, not a busy machine
		d.cmd.Process.Kill()
		d.t.Errorf("omsd did not stop within a minute of SIGTERM; log:\n%s", d.log())
	}
	d.cmd = nil
	if d.t.Failed() {
		d.t.Logf("omsd log:\n%s", d.log())
	}
}

func (d *daemon) log() string {
	b, _ := os.ReadFile(d.logPath)
	return string(b)
}

// ctl runs omsctl against the daemon and fails the test on error.
func (d *daemon) ctl(args ...string) string {
	d.t.Helper()
	out, err := d.ctlErr(args...)
	if err != nil {
		d.t.Fatalf("omsctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (d *daemon) ctlErr(args ...string) (string, error) {
	// Only a hung call is cut off: on a machine busy with the parallel
	// tests an answer from an omsd analysing 50,000 pages took over 30 s.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin.omsctl, append([]string{"--socket", d.socket()}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// jobs returns omsctl jobs --all --json.
func (d *daemon) jobs() []api.Job {
	d.t.Helper()
	var jobs []api.Job
	if err := json.Unmarshal([]byte(d.ctl("jobs", "--all", "--json")), &jobs); err != nil {
		d.t.Fatalf("omsctl jobs --json: %v", err)
	}
	return jobs
}

// job returns omsctl job show ID --json.
func (d *daemon) job(id int64) api.JobDetail {
	d.t.Helper()
	var j api.JobDetail
	if err := json.Unmarshal([]byte(d.ctl("job", "show", fmt.Sprint(id), "--json")), &j); err != nil {
		d.t.Fatalf("omsctl job show --json: %v", err)
	}
	return j
}

// waitJobs waits until n jobs exist and all are in a terminal state, for as
// long as the jobs move: it fails only when no job changed (state, pieces,
// sheets sent, attempts) for stall. A loaded machine makes the jobs slower,
// not the test fail.
func (d *daemon) waitJobs(n int, stall time.Duration) []api.Job {
	d.t.Helper()
	var jobs []api.Job
	waitProgress(d.t, stall, fmt.Sprintf("%d finished jobs", n), func() bool {
		jobs = d.jobs()
		if len(jobs) < n {
			return false
		}
		for _, j := range jobs {
			if j.State != "completed" && j.State != "aborted" && j.State != "canceled" {
				return false
			}
		}
		return true
	}, func() int { return jobsProgress(jobs) })
	return jobs
}

// waitHeldForResources waits until the daemon's only job is held for want
// of resources (resources-are-not-ready) and returns it; the job ending
// first fails the test.
func (d *daemon) waitHeldForResources(what string) api.Job {
	d.t.Helper()
	var j api.Job
	waitFor(d.t, 2*time.Minute, what, func() bool {
		jobs := d.jobs()
		if len(jobs) != 1 {
			return false
		}
		j = jobs[0]
		if j.State == "aborted" || j.State == "completed" {
			d.t.Fatalf("job %s: %s", j.State, j.Message)
		}
		return j.State == "held" && slices.Contains(j.StateReasons, "resources-are-not-ready")
	})
	return j
}

// jobsProgress is a fingerprint of what moves as jobs are worked on.
func jobsProgress(jobs []api.Job) int {
	h := fnv.New32a()
	for _, j := range jobs {
		fmt.Fprint(h, j.ID, j.State, j.StateReasons, j.Pieces, j.SheetsSent, j.Attempts, j.Updated)
	}
	return int(h.Sum32())
}

func waitFor(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitProgress waits until done reports true, for as long as the work
// moves: it fails only when progress has not changed for stall. A loaded
// machine makes the work slower, not the test fail.
func waitProgress(t *testing.T, stall time.Duration, what string, done func() bool, progress func() int) {
	t.Helper()
	last, moved := progress(), time.Now()
	for !done() {
		if p := progress(); p != last {
			last, moved = p, time.Now()
		} else if time.Since(moved) > stall {
			t.Fatalf("waiting for %s: no progress for %v (still at %d)", what, stall, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// drop puts a file into a hot folder the way a composer does: written under
// a temporary name, then renamed in.
func drop(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}
