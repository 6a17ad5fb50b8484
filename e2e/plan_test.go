package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/pdftest"
)

const planConfig = `version: 1
printers:
  - {name: out, driver: file, file: {dir: out}}
workflows:
  - name: planned
    printer: out
    pieces: {method: sidecar}
    postage:
      carrier: deutschepost
      duplex: true
      paper: {gsm: 80, width_mm: 210, height_mm: 297}
      envelopes:
        - {name: C6/5, max_sheets: 2, weight_g: 5.0, format: standard, layers: 3}
        - {name: C4, max_sheets: 100, weight_g: 13, format: gross}
      household: {enabled: true, key: [customer_id], max_sheets: 8}
      presort: {enabled: true, origin: "04109"}
      fields: {postal_code: zip, country: country, customer_id: customer_id}
      splits:
        - {output: flats, envelope: C4}
      default_output: main
hot_folders:
  - {dir: hot/planned, workflow: planned, scan_interval: 200ms}
`

// plannedRun returns a 30-piece PDF and its sidecar: German postal codes
// in no order, every fifth piece in the household of the one before.
func plannedRun(t *testing.T) (pdf, sidecar []byte) {
	t.Helper()
	var o pdftest.Options
	var pieces []map[string]any
	first := 1
	for i := range 30 {
		pages := 1 + i%4
		o.Pieces = append(o.Pieces, pages)
		cust, zip := fmt.Sprintf("C%04d", i), fmt.Sprintf("%05d", 1067+(i*7919)%98000)
		if i%5 == 4 {
			prev := pieces[i-1]["meta"].(map[string]string)
			cust, zip = prev["customer_id"], prev["zip"]
		}
		pieces = append(pieces, map[string]any{"first_page": first, "pages": pages,
			"meta": map[string]string{"customer_id": cust, "zip": zip, "country": "DE"}})
		first += pages
	}
	sidecar, _ = json.Marshal(map[string]any{"pieces": pieces})
	return pdfBytes(t, o), sidecar
}

// TestPlannedMailRun drops a mail run into a workflow with planning on: it
// prints in the plan's order, split by envelope, with the plan in job show
// and omsctl plan; omsd process --dry-run prints the same report.
func TestPlannedMailRun(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, planConfig)
	pdf, side := plannedRun(t)
	hot := d.path("hot", "planned")
	drop(t, hot, "run.json", side)
	drop(t, hot, "run.pdf", pdf)
	jobs := d.waitJobs(1, 60*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("job: %+v\n%s", jobs[0], d.log())
	}
	j := d.job(jobs[0].ID)
	for _, p := range j.PiecesDetail {
		if p.Plan == nil || p.Plan.Envelope == 0 || p.Plan.Product == "" || p.Plan.Price == "" {
			t.Fatalf("piece %d has no placement: %+v", p.Seq, p.Plan)
		}
	}
	if j.PiecesDetail[3].Plan.Envelope != j.PiecesDetail[4].Plan.Envelope {
		t.Errorf("pieces 4 and 5 (one household) are in envelopes %d and %d", j.PiecesDetail[3].Plan.Envelope, j.PiecesDetail[4].Plan.Envelope)
	}
	outs, _ := filepath.Glob(d.path("out", "*"))
	if len(outs) != 2 {
		t.Errorf("outputs = %v; want main and flats", outs)
	}
	table := d.ctl("job", "show", fmt.Sprint(j.ID))
	if !strings.Contains(table, "ENVELOPE") || !strings.Contains(table, "PRODUCT") {
		t.Errorf("job show lacks the plan columns:\n%s", table)
	}
	var rep struct {
		Before, After struct{ Envelopes int }
		Saving        json.Number
	}
	if err := json.Unmarshal([]byte(d.ctl("plan", fmt.Sprint(j.ID), "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Before.Envelopes != 30 || rep.After.Envelopes >= 30 {
		t.Errorf("omsctl plan --json: %+v", rep)
	}
	if text := d.ctl("plan", fmt.Sprint(j.ID)); !strings.Contains(strings.ToLower(text), "saving") {
		t.Errorf("omsctl plan:\n%s", text)
	}

	// The same run as a dry run: a report, nothing written.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "omsd.yaml"), []byte(planConfig), 0o644)
	os.WriteFile(filepath.Join(dir, "run.pdf"), pdf, 0o644)
	os.WriteFile(filepath.Join(dir, "run.json"), side, 0o644)
	cmd := exec.Command(bin.omsd, "process", "--config", "omsd.yaml", "--dry-run", "--json", "run.pdf")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("omsd process --dry-run: %v\n%s", err, out)
	}
	var dry struct {
		Pieces int
		Plan   *struct{ Before, After struct{ Envelopes int } }
	}
	if err := json.Unmarshal(out, &dry); err != nil || dry.Plan == nil || dry.Plan.After.Envelopes != rep.After.Envelopes {
		t.Errorf("dry run: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "omsd-data", "out")); !os.IsNotExist(err) {
		t.Errorf("the dry run wrote outputs")
	}
}
