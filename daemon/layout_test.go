package daemon

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/omsd/omsd/"

// services are the packages daemon composes; none may import another.
var services = []string{"intake", "analysis", "queues", "loop", "metrics", "channels"}

// imports lists the module's packages that the Go files of dir import,
// its tests' too if tests.
func imports(t *testing.T, dir string, tests bool) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	out := map[string]bool{}
	for _, f := range files {
		if !tests && strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if rest, ok := strings.CutPrefix(p, module); ok {
				out[rest] = true
			}
		}
	}
	return out
}

// TestServicesTalkThroughInterfaces: a service imports no other service
// (the hot folder finder under intake is a library the loop's result
// folders use too), and the packages they share import none.
func TestServicesTalkThroughInterfaces(t *testing.T) {
	for _, s := range services {
		for p := range imports(t, s, true) {
			for _, other := range services {
				if other != s && (p == other || strings.HasPrefix(p, other+"/")) && p != "intake/hotfolder" {
					t.Errorf("service %s imports %s", s, p)
				}
			}
		}
	}
	for _, shared := range []string{"jobs", "events", "atomicfile", "pipeline", "pools"} {
		for p := range imports(t, shared, true) {
			for _, s := range append(services, "daemon") {
				if p == s || strings.HasPrefix(p, s+"/") {
					t.Errorf("shared package %s imports %s", shared, p)
				}
			}
		}
	}
}

// TestPipelineIsALibrary: the pipeline persists nothing of its own and
// uses no test kit.
func TestPipelineIsALibrary(t *testing.T) {
	for p := range imports(t, "pipeline", false) {
		if p == "spool" || strings.HasPrefix(p, "internal/") {
			t.Errorf("pipeline imports %s", p)
		}
	}
}
