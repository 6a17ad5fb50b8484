package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWrongFormatNamesTheFix drops an AFP file into a PDF workflow and an
// AFP file without page groups into a pagegroups workflow: each job is
// aborted with a message that names the file dropped (not its copy in the
// spool) and what to do, and the file is in the error folder.
func TestWrongFormatNamesTheFix(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, "")
	afpRun, err := os.ReadFile("../examples/statements.afp")
	if err != nil {
		t.Fatal(err)
	}
	noGroups, err := os.ReadFile("../afp/testdata/samples/printstreamer_test_afp.afp")
	if err != nil {
		t.Fatal(err)
	}
	drop(t, d.path("hot", "default"), "run.afp", afpRun)
	drop(t, d.path("hot", "afp"), "nogroups.afp", noGroups)
	jobs := d.waitJobs(2, 60*time.Second)
	want := map[string][]string{
		"run.afp":      {"the file is AFP", `workflow "default" takes PDF`, "format: afp"},
		"nogroups.afp": {"no named page groups", "pieces.method", "imm", "tle", "fixed"},
	}
	for _, j := range jobs {
		msg := d.job(j.ID).Message
		if j.State != "aborted" {
			t.Errorf("%s: %s; want aborted", j.Name, j.State)
		}
		for _, w := range want[j.Name] {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: message %q lacks %q", j.Name, msg, w)
			}
		}
		if strings.Contains(msg, "spool/jobs") || !strings.Contains(msg, j.Name) {
			t.Errorf("%s: message %q names the spool copy, not the file dropped", j.Name, msg)
		}
		if _, err := os.Stat(filepath.Join(d.path("error"), j.Name+".error.json")); err != nil {
			t.Errorf("%s: no error file: %v", j.Name, err)
		}
	}
}
