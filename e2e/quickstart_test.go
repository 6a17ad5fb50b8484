package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQuickstart runs the README's Quickstart as written: the daemon with
// the embedded default configuration, then every cp line of the Quickstart
// with the shipped examples, and expects each job completed with the pieces
// the README promises.
func TestQuickstart(t *testing.T) {
	t.Parallel()
	lines := quickstartCopies(t)
	d := startDaemon(t, "")
	examples, err := filepath.Abs("../examples")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(examples, filepath.Join(d.dir, "examples")); err != nil {
		t.Fatal(err)
	}
	for _, line := range lines {
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir = d.dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
	}
	jobs := d.waitJobs(3, 60*time.Second)
	want := map[string]int{"letters.pdf": 12, "statements.pdf": 8, "statements.afp": 10}
	for _, j := range jobs {
		if j.State != "completed" || j.Pieces != want[j.Name] {
			t.Errorf("job %s: %s with %d pieces; want completed with %d", j.Name, j.State, j.Pieces, want[j.Name])
		}
		delete(want, j.Name)
	}
	if len(want) != 0 {
		t.Errorf("no job for %v", want)
	}
	outs, _ := filepath.Glob(d.path("out", "*"))
	if len(outs) != 3 {
		t.Errorf("outputs = %v; want three", outs)
	}
}

// quickstartCopies returns the cp commands of the README's Quickstart.
func quickstartCopies(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "## Quickstart")
	if start < 0 {
		t.Fatal("README has no Quickstart")
	}
	s = s[start:]
	if end := strings.Index(s[3:], "\n## "); end >= 0 {
		s = s[:end+3]
	}
	var cps []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "cp ") {
			cmd, _, _ := strings.Cut(line, "#")
			cps = append(cps, strings.TrimSpace(cmd))
		}
	}
	if len(cps) == 0 {
		t.Fatal("the README's Quickstart copies no example")
	}
	return cps
}
