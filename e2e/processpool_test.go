package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// TestProcessPrintsOnAPool runs `omsd process` on a workflow whose printer
// is a pool of two IPP printers with chunk_sheets: the run is cut into
// chunks, both printers print, and every page is printed exactly once.
func TestProcessPrintsOnAPool(t *testing.T) {
	t.Parallel()
	printers := []*pagePrinter{startPagePrinter(t, "0.01"), startPagePrinter(t, "0.01")}
	dir := t.TempDir()
	cfg := poolConfig(8, "{action: abort-job}", printers[0].URI, printers[1].URI)
	if err := os.WriteFile(filepath.Join(dir, "omsd.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	o := manyPieces(12) // 24 sheets: at least 3 chunks
	if err := os.WriteFile(filepath.Join(dir, "run.pdf"), pdfBytes(t, o), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin.omsd, "process", "--config", "omsd.yaml", "--json", "run.pdf")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("omsd process: %v\n%s", err, out)
	}
	var res struct {
		Run     int64
		Outputs []struct{ Name, Printer, Outcome string }
	}
	if err := json.Unmarshal(out, &res); err != nil || res.Run == 0 {
		t.Fatalf("omsd process --json: %v\n%s", err, out)
	}
	used := map[string]int{}
	for _, o := range res.Outputs {
		used[o.Printer]++
		if o.Outcome != "ok" {
			t.Errorf("output %s on %s: %s", o.Name, o.Printer, o.Outcome)
		}
	}
	if len(res.Outputs) < 3 || used["p1"] == 0 || used["p2"] == 0 {
		t.Errorf("%d outputs on %v; want at least 3 chunks on both printers", len(res.Outputs), used)
	}
	counts := printedPages(t, printers...)
	for i, pages := range o.Pieces {
		for pg := range pages {
			if text := pdftest.PageText(i, pg); counts[text] != 1 {
				t.Errorf("%q printed %d times; want once", text, counts[text])
			}
		}
	}
}
