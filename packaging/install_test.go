package packaging

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/internal/testpeer"
)

// The system paths the packaged omsd uses.
const (
	stateDir   = "/var/lib/omsd"
	configFile = "/etc/omsd/omsd.yaml"
	socketPath = "/run/omsd/omsd.sock"
)

// TestInstallDeb installs the .deb on this machine, runs the packaged omsd
// as its own user with the packaged configuration (as the unit would,
// without systemd), serves a job from the hot folder, removes the package
// and checks that the spool and the configuration stay, then installs it
// again over them and finds the job, and upgrades it to a newer version,
// which keeps the operator's edit of the configuration and opens the
// spool. It changes the machine: it runs as
// root with CI=true or OMSD_TEST_INSTALL=1, and purges what it installed.
func TestInstallDeb(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("installs a package: needs root")
	}
	if os.Getenv("CI") != "true" && os.Getenv("OMSD_TEST_INSTALL") == "" {
		t.Skip("installs a package on this machine: set OMSD_TEST_INSTALL=1 (CI=true does)")
	}
	need(t, "dpkg", "dpkg")
	need(t, "runuser", "util-linux")
	if exec.Command("dpkg", "-s", "omsd").Run() == nil {
		t.Fatal("package omsd is installed on this machine already; remove it first (dpkg --purge omsd)")
	}
	if _, err := os.Stat(stateDir); err == nil {
		t.Fatalf("%s exists already; move it away first", stateDir)
	}
	deb, _ := packages(t)
	t.Cleanup(purge(t))

	run(t, "dpkg", "-i", deb)
	checkUser(t)
	checkMode(t, configFile, 0o640, "omsd")
	checkMode(t, filepath.Join(stateDir, "hot/default"), os.ModeDir|os.ModeSetgid|0o770, "omsd")

	stop := startOmsd(t)
	c := &client.Client{Socket: socketPath}
	checkMode(t, socketPath, os.ModeSocket|0o660, "omsd")
	drop(t, filepath.Join(stateDir, "hot/default"), "../examples/letters.pdf")
	waitFor(t, "the job from the hot folder completed", func() bool {
		st, err := c.Status(context.Background())
		return err == nil && st.Jobs["completed"] == 1
	})
	outs, _ := filepath.Glob(filepath.Join(stateDir, "out", "*"))
	if len(outs) != 1 {
		t.Errorf("outputs in %s/out: %v, want one", stateDir, outs)
	}
	stop()

	run(t, "dpkg", "-r", "omsd")
	for _, kept := range []string{configFile, filepath.Join(stateDir, "spool/spool.db")} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("after dpkg -r: %v; want %s kept", err, kept)
		}
	}
	if _, err := os.Stat("/usr/bin/omsd"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after dpkg -r /usr/bin/omsd: %v, want it gone", err)
	}

	run(t, "dpkg", "-i", deb)
	stop = startOmsd(t)
	st, err := c.Status(context.Background())
	if err != nil || st.Jobs["completed"] != 1 || st.Version != testVersion {
		t.Errorf("reinstalled omsd: %+v, %v; want version %s and the completed job kept", st, err, testVersion)
	}
	stop()

	// An upgrade keeps the operator's edit of the configuration and the
	// spool, and the new version opens it.
	edited := strings.Replace(readFile(t, configFile), "level: info", "level: debug", 1)
	if err := os.WriteFile(configFile, []byte(edited), 0o640); err != nil {
		t.Fatal(err)
	}
	const next = "0.9.2~test"
	built, err := Build(context.Background(), Options{Root: "..", Out: t.TempDir(), Version: next, NFPM: []string{testpeer.GoTool(t, "nfpm")}, Packagers: []string{"deb"}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, "dpkg", "-i", built[0])
	if got := readFile(t, configFile); got != edited {
		t.Errorf("the upgrade changed the edited %s:\n%s", configFile, got)
	}
	stop = startOmsd(t)
	st, err = c.Status(context.Background())
	if err != nil || st.Jobs["completed"] != 1 || st.Version != next {
		t.Errorf("upgraded omsd: %+v, %v; want version %s and the completed job kept", st, err, next)
	}
	stop()
	checkUpgradeRestart(t, edited)
}

// checkUpgradeRestart runs the installed postinst as an upgrade does, where
// systemd runs (a private mount namespace with /run/systemd/system and a
// systemctl that records its calls): it restarts the service only when
// the new omsd accepts the configuration.
func checkUpgradeRestart(t *testing.T, good string) {
	t.Helper()
	need(t, "unshare", "util-linux")
	fake := t.TempDir()
	calls := filepath.Join(fake, "calls")
	script := "#!/bin/sh\necho \"$*\" >> " + calls + "\n"
	if err := os.WriteFile(filepath.Join(fake, "systemctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	upgrade := func() (string, string) {
		os.Remove(calls)
		out, err := exec.Command("unshare", "-m", "sh", "-c",
			"mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && PATH="+fake+":$PATH /var/lib/dpkg/info/omsd.postinst configure 0.9.1~test").CombinedOutput()
		if err != nil {
			t.Fatalf("postinst: %v\n%s", err, out)
		}
		b, _ := os.ReadFile(calls)
		return string(b), string(out)
	}
	if got, out := upgrade(); !strings.Contains(got, "try-restart omsd.service") {
		t.Errorf("upgrade with a good configuration called systemctl %q, want a try-restart (%s)", got, out)
	}
	if err := os.WriteFile(configFile, []byte("version: 1\nlog: {level: loud}\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	got, out := upgrade()
	if strings.Contains(got, "restart") || !strings.Contains(out, "was not restarted") {
		t.Errorf("upgrade with a bad configuration: systemctl %q, said %q; want no restart and why", got, out)
	}
	if err := os.WriteFile(configFile, []byte(good), 0o640); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// startOmsd runs the packaged omsd as user omsd until the returned stop is
// called, and waits for its API.
func startOmsd(t *testing.T) (stop func()) {
	t.Helper()
	var logs bytes.Buffer
	cmd := exec.Command("runuser", "-u", "omsd", "--", "/usr/bin/omsd", "--config", configFile)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		t.Logf("omsd's log:\n%s", logs.String())
	}
	t.Cleanup(stop)
	c := &client.Client{Socket: socketPath}
	waitFor(t, "omsd's API", func() bool {
		select {
		case err := <-done:
			t.Fatalf("omsd exited: %v\n%s", err, logs.String())
		default:
		}
		st, err := c.Status(context.Background())
		if err == nil && !strings.Contains(st.StateDir, stateDir) {
			t.Fatalf("omsd runs with state dir %q, want %s", st.StateDir, stateDir)
		}
		return err == nil
	})
	return stop
}

// checkUser checks the system user and group the package created.
func checkUser(t *testing.T) {
	t.Helper()
	pw := strings.Split(strings.TrimSpace(run(t, "getent", "passwd", "omsd")), ":")
	if len(pw) != 7 || pw[5] != stateDir || !strings.HasSuffix(pw[6], "nologin") {
		t.Errorf("user omsd: %q; want home %s and no login shell", pw, stateDir)
	}
	run(t, "getent", "group", "omsd")
}

// checkMode checks a path's type and permission bits and its group.
func checkMode(t *testing.T, path string, mode os.FileMode, group string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Error(err)
		return
	}
	if got := fi.Mode() & (os.ModeType | os.ModePerm | os.ModeSetgid); got != mode {
		t.Errorf("%s: mode %v, want %v", path, got, mode)
	}
	gid := fi.Sys().(*syscall.Stat_t).Gid
	if g := strings.Split(run(t, "getent", "group", group), ":"); len(g) < 3 || g[2] != itoa(gid) {
		t.Errorf("%s: group id %d, want %s's", path, gid, group)
	}
}

// drop puts src into the hot folder dir as a composer does: written under
// a temporary name, then renamed in.
func drop(t *testing.T, dir, src string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(src)+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, filepath.Base(src))); err != nil {
		t.Fatal(err)
	}
}

// purge returns the cleanup that takes the package and everything it left
// off the machine.
func purge(t *testing.T) func() {
	return func() {
		for _, c := range [][]string{
			{"dpkg", "--purge", "omsd"},
			{"rm", "-rf", stateDir, "/run/omsd", "/etc/omsd"},
			{"userdel", "omsd"},
			{"groupdel", "omsd"},
		} {
			if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
				t.Logf("cleanup %s: %v %s", strings.Join(c, " "), err, out)
			}
		}
	}
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }
