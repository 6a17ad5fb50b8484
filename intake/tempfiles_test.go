package intake

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/spool"
)

// TestRecoverRemovesTempFiles leaves the temporary files of writes cut off
// by kill -9 where omsd makes them, beside users' files with similar names,
// and checks that start-up removes exactly omsd's own.
func TestRecoverRemovesTempFiles(t *testing.T) {
	x := newIntakeFixture(t)
	cfg := x.d.cfg
	j, err := x.d.store.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", Printer: "file", State: spool.Pending, StateReasons: []string{"job-queued"}, Input: "input.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	jobDir, _ := x.d.store.MakeJobDir(j.ID)
	out := cfg.Path(cfg.Printers[0].File.Dir)
	os.MkdirAll(out, 0o755)
	temp := func(dir, pattern string) string {
		f, err := os.CreateTemp(dir, pattern) // the patterns omsd uses
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		return f.Name()
	}
	gone := []string{
		temp(jobDir, ".input.pdf.tmp-*"),  // atomicfile.WriteWith
		temp(jobDir, ".output.pdf.*.tmp"), // pdf output writer
		temp(out, ".omsd-7-*.tmp"),        // file printer copy
		filepath.Join(out, ".omsd-7-1b2c3d.link"),
		temp(x.d.errorDir, ".bad.pdf.error.json.tmp-*"),
	}
	writeFile(t, gone[3], "")
	kept := []string{
		filepath.Join(jobDir, "input.pdf"),
		filepath.Join(out, "7-a.pdf"),
		filepath.Join(out, "report.tmp"),
		filepath.Join(out, ".notes.tmp"),
		filepath.Join(out, ".omsd-notes.tmp"),
		filepath.Join(out, "a.pdf.tmp-123"),
		filepath.Join(x.d.errorDir, "bad.pdf"),
		filepath.Join(x.hot, ".upload.pdf.tmp-123"), // a composer's, in the hot folder
	}
	for _, p := range kept {
		writeFile(t, p, "keep")
	}
	if err := x.d.recover(); err != nil {
		t.Fatal(err)
	}
	for _, p := range gone {
		if fileExists(p) {
			t.Errorf("%s was not removed", p)
		}
	}
	for _, p := range kept {
		if !fileExists(p) {
			t.Errorf("%s was removed", p)
		}
	}
}
