package testpeer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// socketScript stores one connection's data. It writes to a hidden
// temporary name and renames the file once the sender has closed the
// connection, so a job file appears only complete. Job names start with
// the arrival time in nanoseconds, so they sort in arrival order. A
// connection that sent nothing (a status check) leaves no job.
const socketScript = `#!/bin/sh
tmp="%[1]s/.job-$$.tmp"
cat > "$tmp" || exit 1
if [ -s "$tmp" ]; then
	mv "$tmp" "%[1]s/job-$(date +%%s%%N)-$$.prn"
else
	rm -f "$tmp"
fi
`

// SocketPeer is a raw TCP print port like a JetDirect or AppSocket
// printer's port 9100: socat listening on the loopback address and
// storing what each connection sends as one job file. A connection that
// is reset leaves no job file.
type SocketPeer struct {
	Host string // 127.0.0.1
	Port int
	Dir  string // where job files are stored

	logPath string
	mu      sync.Mutex
	proc    *process // nil once stopped
}

// StartSocketPeer starts socat on a free loopback port and waits until it
// listens. It is stopped in t.Cleanup.
func StartSocketPeer(t testing.TB) *SocketPeer {
	t.Helper()
	return StartSocketPeerAt(t, FreePort(t))
}

// StartSocketPeerAt is StartSocketPeer on a given port, e.g. one another
// peer listened on before.
func StartSocketPeerAt(t testing.TB, port int) *SocketPeer {
	t.Helper()
	socat := lookTool(t, "socat", "socat")
	// A directory of our own: socat's address syntax gives ',' and ':' a
	// meaning, and test names (in t.TempDir) may hold them.
	dir, err := os.MkdirTemp("", "omsd-socket-")
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := &SocketPeer{Host: "127.0.0.1", Port: port, Dir: filepath.Join(dir, "jobs"), logPath: filepath.Join(dir, "socat.log")}
	mustMkdir(t, p.Dir)
	script := filepath.Join(dir, "job.sh")
	if err := os.WriteFile(script, fmt.Appendf(nil, socketScript, p.Dir), 0o755); err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	logFile, err := os.Create(p.logPath)
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	defer logFile.Close()
	cmd := exec.Command(socat, "-u", fmt.Sprintf("TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork", p.Port), "EXEC:"+script)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	proc, err := startProcess(cmd)
	if err != nil {
		t.Fatalf("testpeer: start socat: %v", err)
	}
	p.proc = proc
	t.Cleanup(p.Stop)
	if err := waitListen(p.Port, proc, 10*time.Second); err != nil {
		t.Fatalf("testpeer: socat: %v\n%s", err, tail(p.logPath, 20))
	}
	return p
}

// Stop stops socat and any connection it is serving. It is safe to call
// more than once.
func (p *SocketPeer) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc != nil {
		p.proc.stop(5 * time.Second)
		p.proc = nil
	}
}

// Jobs lists the complete job files, in arrival order.
func (p *SocketPeer) Jobs(t testing.TB) []string {
	t.Helper()
	jobs, err := filepath.Glob(filepath.Join(p.Dir, "job-*.prn"))
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	slices.Sort(jobs)
	return jobs
}

// WaitJobs waits, for at most 30 seconds, until at least n complete job
// files arrived, and returns Jobs.
func (p *SocketPeer) WaitJobs(t testing.TB, n int) []string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		jobs := p.Jobs(t)
		if len(jobs) >= n {
			return jobs
		}
		if time.Now().After(deadline) {
			t.Fatalf("testpeer: want %d socket jobs, have %v\n%s", n, jobs, tail(p.logPath, 20))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitListen waits until a socket listens on 127.0.0.1:port, seen in
// /proc/net/tcp, so no probe connection is made (it would become a job).
func waitListen(port int, proc *process, limit time.Duration) error {
	want := fmt.Sprintf("0100007F:%04X", port)
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if proc.exited() {
			return fmt.Errorf("exited during startup: %v", proc.err)
		}
		if data, err := os.ReadFile("/proc/net/tcp"); err == nil && listening(string(data), want) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("not listening on port %d within %v", port, limit)
}

// listening reports whether /proc/net/tcp text has a socket in state
// LISTEN (0A) on local address addr.
func listening(procNetTCP, addr string) bool {
	for line := range strings.Lines(procNetTCP) {
		f := strings.Fields(line)
		if len(f) > 3 && f[1] == addr && f[3] == "0A" {
			return true
		}
	}
	return false
}
