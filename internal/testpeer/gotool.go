package testpeer

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// The peers built from Go source (an SMTP server, an S3-compatible store…)
// are listed as tools in the repository's separate tools module, tools/go.mod,
// with exact versions, never in the project's own go.mod. GoTool builds one
// from the Go module proxy the first time a test needs it; the Go build cache
// makes later builds instant, and .ci/run builds them all up front.

// toolsMu serializes the builds within one test binary.
var toolsMu sync.Mutex

// GoTool returns the path of the tool whose package path ends in /name
// (e.g. "mailpit" for github.com/axllent/mailpit), built from tools/go.mod.
// It fails the test when the tool is not listed there or does not build.
func GoTool(t testing.TB, name string) string {
	t.Helper()
	toolsMu.Lock()
	defer toolsMu.Unlock()
	dir, err := toolsModuleDir()
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	pkg, err := toolPackage(filepath.Join(dir, "go.mod"), name)
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	bin := filepath.Join(ToolsBinDir(), name)
	if isExecutable(bin) && os.Getenv("OMSD_REBUILD_TOOLS") == "" {
		return bin
	}
	if err := os.MkdirAll(ToolsBinDir(), 0o755); err != nil {
		t.Fatalf("testpeer: tools directory: %v", err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	cmd := exec.Command("go", "build", "-o", tmp, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		t.Fatalf("testpeer: building %s from tools/go.mod (needs the Go module proxy): %v\n%s", pkg, err, tailString(string(out), 2000))
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	return bin
}

// ToolsBinDir is where GoTool keeps the tools it built: $OMSD_TOOLS_BIN,
// or omsd-tools under the user's cache directory.
func ToolsBinDir() string {
	if d := os.Getenv("OMSD_TOOLS_BIN"); d != "" {
		return d
	}
	c, err := os.UserCacheDir()
	if err != nil {
		c = os.TempDir()
	}
	return filepath.Join(c, "omsd-tools", "bin")
}

// toolsModuleDir finds tools/ at the repository's root, from this file.
func toolsModuleDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("cannot locate the repository")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "tools")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return "", fmt.Errorf("tools module: %w", err)
	}
	return dir, nil
}

// toolPackage reads the tool directives of a go.mod and returns the package
// whose last element is name.
func toolPackage(gomod, name string) (string, error) {
	f, err := os.Open(gomod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	inBlock := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		var pkg string
		switch {
		case line == "tool (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case inBlock:
			pkg = line
		case strings.HasPrefix(line, "tool "):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "tool "))
		}
		if pkg != "" && path.Base(pkg) == name {
			return pkg, nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no tool named %s in %s: add it with go get -tool MODULE@VERSION there", name, gomod)
}
