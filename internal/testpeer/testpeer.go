// Package testpeer starts real peers for tests: an IPP Everywhere printer
// (ippeveprinter from CUPS) on a private D-Bus system bus, an LPRng lpd in
// private namespaces, a socat raw socket port, and in-process fault peers
// (a socket that resets after N bytes, one that never reads). Everything a
// peer starts is stopped in the test's cleanup. A missing tool fails the
// test with the name of the Debian package that provides it.
package testpeer

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// FreePort returns a TCP port that is free on the loopback addresses
// (127.0.0.1 and, where the machine has it, ::1) at the time of the call.
// No two calls in one test process return the same port, so that tests
// running in parallel (and one peer asking for two ports) never get each
// other's port before its peer binds it.
func FreePort(t testing.TB) int {
	t.Helper()
	var held []net.Listener // ports refused here stay bound until a fresh one is found
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for range 50 {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("testpeer: free port: %v", err)
		}
		held = append(held, l)
		port := l.Addr().(*net.TCPAddr).Port
		if freeOnIPv6(port) && handOut(port) {
			return port
		}
	}
	t.Fatalf("testpeer: no free port found on 127.0.0.1 and ::1")
	return 0
}

// handedOut are the ports FreePort returned in this process.
var handedOut struct {
	sync.Mutex
	ports map[int]bool
}

// handOut records port as returned and reports whether it was not before.
func handOut(port int) bool {
	handedOut.Lock()
	defer handedOut.Unlock()
	if handedOut.ports[port] {
		return false
	}
	if handedOut.ports == nil {
		handedOut.ports = make(map[int]bool)
	}
	handedOut.ports[port] = true
	return true
}

// freeOnIPv6 reports whether port is free on ::1, or ::1 is unavailable.
func freeOnIPv6(port int) bool {
	l, err := net.Listen("tcp6", fmt.Sprintf("[::1]:%d", port))
	if err != nil {
		return !errors.Is(err, syscall.EADDRINUSE)
	}
	l.Close()
	return true
}

// lookTool finds a program in PATH or the sbin directories (which are not
// in every user's PATH) and fails the test naming pkg when it is missing.
func lookTool(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/bin", "/bin"} {
		p := dir + "/" + name
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	t.Fatalf("testpeer: %s not found: install the Debian package %s", name, pkg)
	return ""
}

// process is a started peer process in its own process group.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // exit error, valid after done
}

// startProcess starts cmd in a new process group and watches for its exit.
func startProcess(cmd *exec.Cmd) (*process, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop ends the process group: SIGTERM, then SIGKILL after a grace period.
// It returns when the main process has exited.
func (p *process) stop(grace time.Duration) {
	pgid := -p.cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-p.done
	}
	// Children of the main process (print commands) may outlive it.
	_ = syscall.Kill(pgid, syscall.SIGKILL)
}

// tail returns the last n lines of the file at path, for failure reports.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
