package spool

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashEnv names the spool directory a crash child writes into.
const crashEnv = "OMSD_SPOOL_CRASH_CHILD_DIR"

// crashJob is the job a crash child creates as its i-th, so the parent can
// tell an intact job from a damaged one.
func crashJob(i int) Job {
	return Job{
		Name:         fmt.Sprintf("job-%06d.pdf", i),
		Workflow:     "crash",
		Source:       "/in/" + strings.Repeat("x", i%97),
		StateReasons: []string{"job-incoming"},
		Pages:        i,
		Sheets:       i / 2,
	}
}

// TestCrashDurability kills a process creating jobs with SIGKILL, a few
// times over the same spool, and checks after each kill that every job it
// reported as created is in the spool, intact.
func TestCrashDurability(t *testing.T) {
	if dir := os.Getenv(crashEnv); dir != "" {
		runCrashChild(t, dir)
		return
	}
	dir := t.TempDir()
	total := 0
	for round := range 3 {
		reported := runAndKill(t, dir, 50+rand.IntN(200))
		if len(reported) == 0 {
			t.Fatalf("round %d: the child reported no jobs before it was killed", round)
		}
		total += len(reported)
		checkCrashJobs(t, dir, reported)
	}
	t.Logf("%d jobs reported over 3 kills", total)
}

// checkCrashJobs reopens the spool in dir and checks the jobs a killed
// child reported, by ID and index.
func checkCrashJobs(t *testing.T, dir string, reported map[int64]int) {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	for id, i := range reported {
		j, err := s.Job(id)
		if err != nil {
			t.Fatalf("reported job %d: %v", id, err)
		}
		want := crashJob(i)
		if j.Name != want.Name || j.Source != want.Source || j.Pages != want.Pages ||
			j.State != Pending || len(j.StateReasons) != 1 {
			t.Fatalf("job %d = %+v, want %+v", id, j, want)
		}
		if ev, err := s.JobEvents(id); err != nil || len(ev) != 1 || ev[0].Type != "state" {
			t.Fatalf("job %d events = %+v, %v", id, ev, err)
		}
	}
	if _, err := s.Jobs(); err != nil {
		t.Fatalf("jobs after kill: %v", err)
	}
	if _, err := s.Events(0, 0); err != nil {
		t.Fatalf("events after kill: %v", err)
	}
}

// runAndKill runs a crash child on dir and kills it with SIGKILL once it has
// reported n jobs, or a second after its first report if fsync is slow (or
// after 10 s if it reports nothing). It returns the jobs the child reported:
// ID to the index given to crashJob.
func runAndKill(t *testing.T, dir string, n int) map[int64]int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDurability$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() { cmd.Process.Signal(syscall.SIGKILL) }
	timer := time.AfterFunc(10*time.Second, kill)
	defer timer.Stop()
	ids := map[int64]int{}
	var other []string // the test framework's own output, shown on failure
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var id int64
		var i int
		if _, err := fmt.Sscanf(sc.Text(), "created %d %d", &id, &i); err != nil {
			other = append(other, sc.Text())
			continue
		}
		ids[id] = i
		if len(ids) == 1 {
			timer.Reset(time.Second)
		}
		if len(ids) == n {
			kill()
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL; its output:\n%s", err, strings.Join(other, "\n"))
	}
	return ids
}

// runCrashChild creates jobs in dir until killed, printing each ID once
// CreateJob has returned. It gives up after a while in case the parent died.
func runCrashChild(t *testing.T, dir string) {
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(os.Stdout)
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		j, err := s.CreateJob(crashJob(i))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "created %d %d\n", j.ID, i)
		w.Flush()
	}
	t.Fatal("crash child was not killed")
}
