package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBadInputLongNames drops bad files under the longest legal names, one
// of them not UTF-8, beside a good one: each bad file reaches the error
// folder with its NAME.error.json (its name shortened to fit), the report
// holds the original name byte for byte, and the good file prints.
func TestBadInputLongNames(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, fileConfig)
	hot := d.path("hot", "letters")
	bad := []string{
		strings.Repeat("L", 240) + ".pdf",
		strings.Repeat("M", 251) + ".pdf",
		"Rechnung M\xfcller " + strings.Repeat("\xe4", 233) + ".pdf",
	}
	for _, name := range bad {
		if len(name) > 255 {
			t.Fatalf("test name of %d bytes", len(name))
		}
		// Written under a short temporary name: ".NAME.tmp" would not fit.
		drop(t, hot, "long", []byte("%!PS-Adobe-3.0\nnot a PDF\n"))
		if err := os.Rename(filepath.Join(hot, "long"), filepath.Join(hot, name)); err != nil {
			t.Fatal(err)
		}
	}
	drop(t, hot, "good.pdf", pdfBytes(t, twentyPieces(true)))
	jobs := d.waitJobs(len(bad)+1, 60*time.Second)
	for _, j := range jobs {
		if want := map[bool]string{true: "completed", false: "aborted"}[j.Name == "good.pdf"]; j.State != want {
			t.Errorf("job %d (%d-byte name): %s; want %s (%s)", j.ID, len(j.Name), j.State, want, j.Message)
		}
	}
	reports, _ := filepath.Glob(d.path("error", "*.error.json"))
	got := map[string]bool{}
	for _, p := range reports {
		var rep struct {
			File              string `json:"file"`
			OriginalName      string `json:"original_name"`
			OriginalNameBytes []byte `json:"original_name_bytes"`
		}
		b, _ := os.ReadFile(p)
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := rep.OriginalName
		if rep.OriginalNameBytes != nil {
			name = string(rep.OriginalNameBytes)
		}
		got[name] = true
		if rep.File+".error.json" != filepath.Base(p) {
			t.Errorf("report %s names file %q", filepath.Base(p), rep.File)
		}
		if _, err := os.Stat(d.path("error", rep.File)); err != nil {
			t.Errorf("the rejected file is not in the error folder: %v", err)
		}
	}
	for _, name := range bad {
		if !got[name] {
			t.Errorf("no error report for the %d-byte name %q", len(name), name[:20])
		}
	}
	t.Logf("error reports: %d for %d bad files", len(reports), len(bad))
}
