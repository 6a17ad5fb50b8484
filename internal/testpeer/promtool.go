package testpeer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// promtoolMu serializes fetching the package within this process; a lock
// file serializes it between test processes.
var promtoolMu sync.Mutex

// Promtool returns the path of Prometheus' promtool, which checks metrics
// expositions and tests alert rules. Unless it is installed, the Debian
// package prometheus is downloaded with apt-get and extracted into a cache
// directory ($XDG_CACHE_HOME/omsd-test/prometheus, or ~/.cache/...) once;
// the Prometheus service is never installed or started. The test fails
// with what to do when that is impossible.
func Promtool(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("promtool"); err == nil {
		return p
	}
	dir := filepath.Join(cacheBase(), "prometheus")
	tool := filepath.Join(dir, "root", "usr", "bin", "promtool")
	promtoolMu.Lock()
	defer promtoolMu.Unlock()
	if isExecutable(tool) {
		return tool
	}
	if err := fetchDeb(dir, "prometheus", "usr/bin/promtool"); err != nil {
		t.Fatalf("testpeer: promtool is missing and could not be fetched: %v\n"+
			"It comes from the Debian package prometheus (only its promtool is used): make "+
			"`apt-get download prometheus` work (apt-get update, network), or run `dpkg-deb -x prometheus_*.deb %s`",
			err, filepath.Join(dir, "root"))
	}
	if !isExecutable(tool) {
		t.Fatalf("testpeer: the prometheus package holds no %s", tool)
	}
	return tool
}

// cacheBase is where extracted packages are kept.
func cacheBase() string {
	base, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "omsd-test")
	}
	return filepath.Join(base, "omsd-test")
}

// fetchDeb downloads pkg and extracts it into dir/root, under a lock file
// so parallel test processes do it once; want is a file it must hold.
func fetchDeb(dir, pkg, want string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	root := filepath.Join(dir, "root")
	if isExecutable(filepath.Join(root, want)) {
		return nil // another process fetched it meanwhile
	}
	tmp, err := os.MkdirTemp(dir, "fetch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	deb, err := aptDownload(tmp, pkg)
	if err != nil {
		return err
	}
	out, err := exec.Command("dpkg-deb", "-x", deb, filepath.Join(tmp, "root")).CombinedOutput()
	if err != nil {
		return fmt.Errorf("dpkg-deb -x %s: %w: %s", deb, err, strings.TrimSpace(string(out)))
	}
	os.RemoveAll(root)
	return os.Rename(filepath.Join(tmp, "root"), root)
}
