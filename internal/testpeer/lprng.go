package testpeer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// aptTimeout bounds downloading the lprng package.
const aptTimeout = 3 * time.Minute

// lprngMu serializes fetching the package within this process; a lock
// file serializes it between test processes.
var lprngMu sync.Mutex

// lprngLPD returns the path of LPRng's lpd. Installing the Debian package
// lprng would remove cups-client, so unless it is installed already, the
// package is downloaded with apt-get and extracted into a cache directory
// ($XDG_CACHE_HOME/omsd-test/lprng, or ~/.cache/...) once. The test fails
// with what to do when that is impossible.
func lprngLPD(t testing.TB) string {
	t.Helper()
	if installedPackage("lprng") && isExecutable("/usr/sbin/lpd") {
		return "/usr/sbin/lpd"
	}
	dir := lprngCacheDir()
	lpd := filepath.Join(dir, "root", "usr", "sbin", "lpd")
	lprngMu.Lock()
	defer lprngMu.Unlock()
	if isExecutable(lpd) {
		return lpd
	}
	if err := fetchLPRng(dir); err != nil {
		t.Fatalf("testpeer: LPRng's lpd is missing and could not be fetched: %v\n"+
			"It comes from the Debian package lprng, which must not be installed with apt-get install "+
			"(it removes cups-client): make `apt-get download lprng` work (apt-get update, network), "+
			"or run `dpkg-deb -x lprng_*.deb %s`", err, filepath.Join(dir, "root"))
	}
	if !isExecutable(lpd) {
		t.Fatalf("testpeer: the lprng package holds no %s", lpd)
	}
	return lpd
}

// lprngCacheDir is where the extracted package is kept.
func lprngCacheDir() string { return filepath.Join(cacheBase(), "lprng") }

// fetchLPRng downloads the lprng package and extracts it into dir/root,
// once for all parallel test processes.
func fetchLPRng(dir string) error { return fetchDeb(dir, "lprng", "usr/sbin/lpd") }

// aptDownload runs `apt-get download pkg` in dir and returns the .deb.
func aptDownload(dir, pkg string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), aptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "apt-get", "download", pkg)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download %s: %w: %s", pkg, err, tailString(string(out), 5))
	}
	debs, _ := filepath.Glob(filepath.Join(dir, pkg+"_*.deb"))
	if len(debs) == 0 {
		return "", errors.New("apt-get download " + pkg + " left no .deb")
	}
	return debs[0], nil
}

// installedPackage reports whether dpkg says pkg is installed.
func installedPackage(pkg string) bool {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Status}", pkg).Output()
	return err == nil && strings.HasSuffix(strings.TrimSpace(string(out)), " installed")
}

// isExecutable reports whether path is an executable regular file.
func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// tailString returns the last n lines of s.
func tailString(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
