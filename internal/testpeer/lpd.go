package testpeer

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Queues of the LPD test server.
const (
	LPDQueue        = "omsd"    // takes jobs and keeps their files
	LPDStoppedQueue = "stopped" // printing disabled: jobs stay queued
	LPDClosedQueue  = "closed"  // spooling disabled: jobs are refused
)

// lpdConf is LPRng's /etc/lprng/lpd.conf for the test server.
const lpdConf = `lpd_listen_port=127.0.0.1%%%[1]d
lpd_port=127.0.0.1%%%[1]d
unix_socket_path=off
printcap_path=%[2]s/printcap
perms_path=%[2]s/lpd.perms
lockfile=%[2]s/lpd.lock
server_tmp_dir=%[2]s/tmp
done_jobs=0
done_jobs_max_age=0
`

// lpdQueueState is each queue's initial LPRng control file (control.pr).
var lpdQueueState = map[string]string{
	LPDQueue:        "",
	LPDStoppedQueue: "printing_disabled=0x1\n",
	LPDClosedQueue:  "spooling_disabled=0x1\n",
}

// lpdNamespace runs lpd ($2) with a private /etc: an overlay whose upper
// layer, on a private tmpfs, holds lprng/lpd.conf from $1. The mounts
// exist only in lpd's mount namespace and vanish with it. lpd also gets a
// PID namespace of its own: its children start sessions of their own,
// out of reach of a signal to its process group, but they all end when
// lpd, the namespace's first process, does.
const lpdNamespace = `set -e
mount -t tmpfs -o size=1m,mode=0755 omsd-lpd "$1/ns"
mkdir -p "$1/ns/upper/lprng" "$1/ns/work"
cp "$1/lpd.conf" "$1/ns/upper/lprng/lpd.conf"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/ns/upper,workdir=$1/ns/work" /etc
exec "$2" -F -L "$1/lpd.log"
`

// LPD is a running LPRng lpd, a real RFC 1179 server, listening on the
// loopback address with three queues: LPDQueue keeps every job's files
// after "printing" them to /dev/null, LPDStoppedQueue holds its jobs,
// LPDClosedQueue refuses jobs.
type LPD struct {
	Host  string // 127.0.0.1
	Port  int
	Queue string // LPDQueue
	Dir   string // the server's files; queue Q spools in Dir/spool/Q

	logPath string
	mu      sync.Mutex
	proc    *process // nil once stopped
}

// StartLPD starts LPRng's lpd on a free loopback port, with its
// configuration in a private mount namespace so the machine's /etc stays
// untouched, and waits until it answers. It needs root (mount namespaces,
// and lpd runs as user daemon). It is stopped in t.Cleanup.
func StartLPD(t testing.TB) *LPD {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatalf("testpeer: the LPD test server needs root (it mounts its configuration in a private mount namespace)")
	}
	bin := lprngLPD(t)
	unshare := lookTool(t, "unshare", "util-linux")
	l := &LPD{Host: "127.0.0.1", Port: FreePort(t), Queue: LPDQueue}
	l.Dir = l.setupFiles(t)
	l.logPath = filepath.Join(l.Dir, "lpd.log")
	out := filepath.Join(l.Dir, "lpd.out")
	outFile, err := os.Create(out)
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	defer outFile.Close()
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
		"sh", "-c", lpdNamespace, "sh", l.Dir, bin)
	cmd.Stdout, cmd.Stderr = outFile, outFile
	proc, err := startProcess(cmd)
	if err != nil {
		t.Fatalf("testpeer: start lpd: %v", err)
	}
	l.proc = proc
	t.Cleanup(l.Stop)
	if err := waitListening(l.Host, l.Port, proc, 15*time.Second); err != nil {
		t.Fatalf("testpeer: lpd: %v\n%s\n%s", err, tail(out, 20), tail(l.logPath, 20))
	}
	return l
}

// setupFiles writes the configuration and spool directories into a new
// directory that user daemon may enter, and returns it.
func (l *LPD) setupFiles(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "omsd-lpd-")
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	uid, gid := daemonIDs()
	var printcap strings.Builder
	files := map[string]string{
		"lpd.conf":  fmt.Sprintf(lpdConf, l.Port, dir),
		"lpd.perms": "DEFAULT ACCEPT\n",
		"lpd.log":   "",
	}
	for queue, state := range lpdQueueState {
		spool := filepath.Join(dir, "spool", queue)
		fmt.Fprintf(&printcap, "%s:sd=%s:lp=/dev/null:mx=0:sh:save_when_done\n", queue, spool)
		if state != "" {
			files[filepath.Join("spool", queue, "control.pr")] = state
		}
	}
	files["printcap"] = printcap.String()
	for _, d := range []string{"ns", "tmp", "spool/" + LPDQueue, "spool/" + LPDStoppedQueue, "spool/" + LPDClosedQueue} {
		mustMkdir(t, filepath.Join(dir, d))
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatalf("testpeer: %v", err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	for _, p := range []string{"spool", "tmp", "lpd.log"} {
		chownTree(t, filepath.Join(dir, p), uid, gid)
	}
	return dir
}

// Stop stops the server. It is safe to call more than once.
func (l *LPD) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.proc != nil {
		l.proc.stop(5 * time.Second)
		l.proc = nil
	}
}

// Log returns the end of the server's log, for failure reports.
func (l *LPD) Log() string { return tail(l.logPath, 40) }

// daemonIDs returns the uid and gid of user daemon, which lpd runs as.
func daemonIDs() (int, int) {
	u, err := user.Lookup("daemon")
	if err != nil {
		return 1, 1
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return uid, gid
}

// mustMkdir makes dir and its parents.
func mustMkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("testpeer: %v", err)
	}
}

// chownTree gives path and everything under it to uid and gid.
func chownTree(t testing.TB, path string, uid, gid int) {
	t.Helper()
	err := filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
}

// waitListening waits until host:port takes connections, failing early if
// proc exits. The probe connection is closed without sending anything.
func waitListening(host string, port int, proc *process, limit time.Duration) error {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if proc.exited() {
			return fmt.Errorf("exited during startup: %v", proc.err)
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no answer on %s within %v", addr, limit)
}
