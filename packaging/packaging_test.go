package packaging

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/omsd/omsd/internal/testpeer"
)

// testVersion is the version the tests build the packages with.
const testVersion = "0.9.1~test"

// built holds the packages the tests share, built once per test binary.
var built struct {
	once     sync.Once
	dir      string
	deb, rpm string
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// packages builds the .deb and the .rpm (once) and returns their paths.
func packages(t *testing.T) (deb, rpm string) {
	t.Helper()
	nfpm := testpeer.GoTool(t, "nfpm")
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "omsd-packages-")
		if built.err != nil {
			return
		}
		var paths []string
		paths, built.err = Build(context.Background(), Options{Root: "..", Out: built.dir, Version: testVersion, NFPM: []string{nfpm}})
		for _, p := range paths {
			switch filepath.Ext(p) {
			case ".deb":
				built.deb = p
			case ".rpm":
				built.rpm = p
			}
		}
	})
	if built.err != nil {
		t.Fatalf("building the packages: %v", built.err)
	}
	return built.deb, built.rpm
}

// need fails the test when a tool is missing, naming its Debian package.
func need(t *testing.T, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is missing: apt-get install %s", tool, pkg)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// extract unpacks the .deb into a new directory, as dpkg would lay it out.
func extract(t *testing.T, deb string) string {
	t.Helper()
	root := t.TempDir()
	run(t, "dpkg-deb", "-x", deb, root)
	return root
}
