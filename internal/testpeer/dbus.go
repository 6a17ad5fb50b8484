package testpeer

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// busConfig is a D-Bus system bus that anyone on the machine may use; it
// exists only for ippeveprinter, which wants a system bus for DNS-SD.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
    <allow user="*"/>
  </policy>
</busconfig>
`

// maxSocketPath keeps unix socket paths under the kernel's 108-byte limit.
const maxSocketPath = 100

// startSystemBus starts a private D-Bus system bus and returns its address
// for DBUS_SYSTEM_BUS_ADDRESS. The bus is stopped in t.Cleanup.
func startSystemBus(t testing.TB, dir string) string {
	t.Helper()
	daemon := lookTool(t, "dbus-daemon", "dbus")
	sock := filepath.Join(dir, "bus.sock")
	if len(sock) > maxSocketPath {
		short, err := os.MkdirTemp("", "tpbus")
		if err != nil {
			t.Fatalf("testpeer: bus directory: %v", err)
		}
		t.Cleanup(func() { os.RemoveAll(short) })
		sock = filepath.Join(short, "bus.sock")
	}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, sock), 0o644); err != nil {
		t.Fatalf("testpeer: bus config: %v", err)
	}
	logPath := filepath.Join(dir, "dbus.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("testpeer: bus log: %v", err)
	}
	defer logFile.Close()
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--nopidfile")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	proc, err := startProcess(cmd)
	if err != nil {
		t.Fatalf("testpeer: start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { proc.stop(5 * time.Second) })
	if err := waitSocket(sock, proc, 30*time.Second); err != nil {
		t.Fatalf("testpeer: dbus-daemon: %v\n%s", err, tail(logPath, 20))
	}
	return "unix:path=" + sock
}

// waitSocket waits until the unix socket at path takes connections,
// failing early if proc exits. Its file appears when the daemon binds it,
// before it listens: a client started in between (ippeveprinter, on a busy
// machine) is refused and gives up ("Unable to initialize DNS-SD").
func waitSocket(path string, proc *process, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return nil
		}
		if proc.exited() {
			return fmt.Errorf("exited before listening on %s: %v", path, proc.err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no connection taken on %s within %v", path, limit)
}
