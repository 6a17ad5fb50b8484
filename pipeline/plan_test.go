package pipeline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/postage"
)

// plannedRun writes a mail run of n pieces with a sidecar carrying German
// postal codes, in no order, and customer ids where every fifth piece
// shares its household with the piece before it.
func plannedRun(t *testing.T, n int) (pdfPath, sidecar string, o pdftest.Options) {
	t.Helper()
	dir := t.TempDir()
	type entry struct {
		FirstPage int               `json:"first_page"`
		Pages     int               `json:"pages"`
		Meta      map[string]string `json:"meta"`
	}
	var pieces []entry
	first := 1
	for i := range n {
		pages := 1 + i%4
		o.Pieces = append(o.Pieces, pages)
		cust := fmt.Sprintf("C%04d", i)
		zip := fmt.Sprintf("%05d", 1067+(i*7919)%98000)
		if i%5 == 4 { // same household as the piece before
			cust = fmt.Sprintf("C%04d", i-1)
			zip = pieces[i-1].Meta["zip"]
		}
		pieces = append(pieces, entry{first, pages, map[string]string{"customer_id": cust, "zip": zip, "country": "DE"}})
		first += pages
	}
	pdfPath = filepath.Join(dir, "run.pdf")
	if err := pdftest.WriteFile(pdfPath, o); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"pieces": pieces})
	sidecar = filepath.Join(dir, "run.json")
	os.WriteFile(sidecar, b, 0o644)
	return pdfPath, sidecar, o
}

func plannedWorkflow(t *testing.T) config.Workflow {
	t.Helper()
	var pc postage.Config
	err := yaml.Unmarshal([]byte(`
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
`), &pc)
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.Prepare(); err != nil {
		t.Fatal(err)
	}
	return config.Workflow{Name: "planned", Format: "pdf", Pieces: config.Pieces{Method: "sidecar"}, Postage: &pc}
}

func TestPrepareWithPlan(t *testing.T) {
	in, side, _ := plannedRun(t, 60)
	wf := plannedWorkflow(t)
	r, err := Prepare(wf, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if r.Plan == nil || len(r.Outputs) != 2 {
		t.Fatalf("plan %v, outputs %+v; want a plan with outputs flats and main", r.Plan != nil, r.Outputs)
	}
	// Every output prints its pieces in the plan's order, pages intact.
	for _, out := range r.Outputs {
		var want []string
		for _, seq := range r.Plan.Outputs[out.Name] {
			p := r.Pieces[seq-1]
			for j := range p.Pages {
				want = append(want, pdftest.PageText(seq-1, j))
			}
		}
		if got := pdftest.PageTexts(t, out.Path); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("output %s: pages not in plan order", out.Name)
		}
	}
	// Householding: piece 5 rides with piece 4.
	p4, p5 := r.Pieces[3].Placement, r.Pieces[4].Placement
	if p4 == nil || p5 == nil || p4.Envelope != p5.Envelope {
		t.Errorf("pieces 4 and 5 share a household but not an envelope: %+v %+v", p4, p5)
	}
	// Sheets are counted duplex, as the plan prints them.
	if p := r.Pieces[3]; p.Sheets != (p.Pages+1)/2 {
		t.Errorf("piece 4: %d pages, %d sheets; want duplex", p.Pages, p.Sheets)
	}
	rep := r.Plan.Report
	if rep.After.Pieces != 60 || rep.Before.Envelopes != 60 || rep.After.Envelopes >= 60 || rep.Saving <= 0 {
		t.Errorf("report: before %+v after %+v saving %s", rep.Before, rep.After, rep.Saving)
	}
}

func TestPlanIsADryRun(t *testing.T) {
	in, side, _ := plannedRun(t, 10)
	dir := filepath.Dir(in)
	before, _ := os.ReadDir(dir)
	_, r, err := Plan(plannedWorkflow(t), in, side)
	if err != nil || r.Plan == nil || len(r.Outputs) != 0 {
		t.Fatalf("Plan: %v, plan %v, outputs %v", err, r.Plan != nil, r.Outputs)
	}
	if after, _ := os.ReadDir(dir); len(after) != len(before) {
		t.Errorf("a dry run wrote files: %d before, %d after", len(before), len(after))
	}
}
