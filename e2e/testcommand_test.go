package e2e

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCIRunsTheREADMETestCommand: .ci/run runs the README's test command
// (only made verbose with -v), so that what the README promises, its
// -parallel included, is what CI runs.
func TestCIRunsTheREADMETestCommand(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^(go test [^#\n]*?)\s+# test \(what \.ci/run calls\)$`).FindSubmatch(readme)
	if m == nil {
		t.Fatal(`the README's "Run and test" has no line "go test ...   # test (what .ci/run calls)"`)
	}
	want := strings.Fields(string(m[1]))
	run, err := os.ReadFile("../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	var ran [][]string
	for _, line := range strings.Split(string(run), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "go" || f[1] != "test" {
			continue
		}
		var args []string
		for _, a := range f {
			if a == "-v" {
				continue
			}
			if strings.HasPrefix(a, ">") || a == "2>&1" {
				break
			}
			args = append(args, a)
		}
		ran = append(ran, args)
	}
	if len(ran) != 1 || strings.Join(ran[0], " ") != strings.Join(want, " ") {
		t.Errorf(".ci/run runs %q; the README's test command is %q: change both together", ran, want)
	}
}
